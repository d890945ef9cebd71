import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonOf } from '../helpers/proto-fixture.js';
import { daemonEntry, fixturesDir } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';
import { toolsOnce } from '../plugins/mcp-server/harness.js';

const kitchen = join(fixturesDir, 'mcp-servers', 'kitchen-stdio.mjs');
const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** A Claude Desktop config as a user has it: mcp-host itself, a stdio server with a token, a remote one, an SSE one. */
function claudeConfig(): string {
  const file = join(temp('mcp-host-claude-'), 'claude_desktop_config.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        globalShortcut: 'Ctrl+Space',
        mcpServers: {
          'mcp-host': { command: process.execPath, args: [daemonEntry, 'serve', '--config', '/somewhere/plugins.json'] },
          'kitchen tools': { command: process.execPath, args: [kitchen], env: { KITCHEN_TOKEN: 'tok-secret-123' } },
          remote: { type: 'http', url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer remote-secret' } },
          legacy: { type: 'sse', url: 'https://mcp.example.com/sse' },
        },
      },
      null,
      2,
    ),
  );
  return file;
}

/** An existing plugins.json in a style of its own (one line per instance), which must survive byte for byte. */
const EXISTING = `{
  "watch": false,
  "plugins": {
    "hello": { "config": { "greeting": "Hi" } },
    "remote": { "plugin": "hello", "config": { "greeting": "Mine" } }
  }
}
`;

describe('mcp-host import-claude-config', () => {
  const hosts: HostUnderTest[] = [];
  afterAll(async () => {
    for (const host of hosts) await host.close();
  });

  it('dry run: prints the diff with secrets hidden and what it skips, and writes nothing', async () => {
    const configPath = writeConfig({});
    writeFileSync(configPath, EXISTING);
    const run = await runCli(['import-claude-config', claudeConfig(), '--config', configPath]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(configPath, 'utf8')).toBe(EXISTING);
    expect(readdirSync(dirname(configPath))).toEqual(['plugins.json']);
    expect(run.stdout).toContain(`--- ${configPath}`);
    expect(run.stdout).toContain('+    "kitchen-tools": {');
    expect(run.stdout).toContain('+          "KITCHEN_TOKEN": "<hidden>"');
    expect(run.stdout).toContain('+          "Authorization": "<hidden>"');
    expect(run.stdout).not.toMatch(/tok-secret-123|remote-secret/);
    // The existing "remote" instance keeps its name; the imported one gets a suffix.
    expect(run.stdout).toContain('add      "remote" as instance "remote-2"');
    expect(run.stdout).toMatch(/skipped {2}"mcp-host": this entry runs mcp-host itself/);
    expect(run.stdout).toMatch(/skipped {2}"legacy": SSE transport/);
    expect(run.stdout).toContain('Dry run: nothing was written');
  });

  it('--show-secrets prints the values in the diff', async () => {
    const configPath = writeConfig({ plugins: {} });
    const run = await runCli(['import-claude-config', claudeConfig(), '--config', configPath, '--show-secrets']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('"KITCHEN_TOKEN": "tok-secret-123"');
  });

  it('--write adds the instances (the rest of the file unchanged), a second run adds nothing, and the result loads and serves', async () => {
    const configPath = writeConfig({});
    writeFileSync(configPath, EXISTING);
    const source = claudeConfig();
    const run = await runCli(['import-claude-config', source, '--config', configPath, '--write']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Wrote 2 instances to ${configPath}.`);
    const written = readFileSync(configPath, 'utf8');
    expect(written.startsWith(EXISTING.slice(0, EXISTING.indexOf('"remote"')))).toBe(true);
    expect(written).toContain('"remote": { "plugin": "hello", "config": { "greeting": "Mine" } },');
    const plugins = JSON.parse(written).plugins;
    expect(plugins['kitchen-tools']).toEqual({ plugin: 'mcp-server', config: { command: process.execPath, args: [kitchen], env: { KITCHEN_TOKEN: 'tok-secret-123' } } });
    expect(plugins['remote-2']).toEqual({ plugin: 'mcp-server', config: { url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer remote-secret' } } });
    expect(Object.keys(plugins)).toEqual(['hello', 'remote', 'kitchen-tools', 'remote-2']);
    expect(readdirSync(dirname(configPath))).toEqual(['plugins.json']);

    const again = await runCli(['import-claude-config', source, '--config', configPath, '--write']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('"kitchen tools": already imported as instance "kitchen-tools"');
    expect(again.stdout).toContain('Nothing to add');
    expect(readFileSync(configPath, 'utf8')).toBe(written);

    const validate = await runCli(['validate', '--config', configPath]);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    const host = await spawnHost({ configPath });
    hosts.push(host);
    const names = (await host.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('hello__greet');
    // The imported server's catalog arrives in the background (catalogWaitMs 0).
    await toolsOnce(host.client, 'kitchen-tools__env');
    const env = jsonOf<Record<string, string>>(await host.client.callTool({ name: 'kitchen-tools__env', arguments: {} }));
    expect(env.KITCHEN_TOKEN).toBe('tok-secret-123');
  });

  it('reads Claude Desktop\'s own config when no FILE is given', async () => {
    const configPath = join(temp('mcp-host-import-'), 'plugins.json');
    const run = await runCli(['import-claude-config', '--config', configPath, '--write'], { env: { CLAUDE_DESKTOP_CONFIG: claudeConfig() } });
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(configPath, 'utf8')).plugins)).toEqual(['kitchen-tools', 'remote']);
  });

  it('refuses a Claude config that is not JSON and writes nothing', async () => {
    const configPath = writeConfig({});
    writeFileSync(configPath, EXISTING);
    const bad = join(temp('mcp-host-claude-'), 'claude_desktop_config.json');
    writeFileSync(bad, '{ "mcpServers": ');
    const run = await runCli(['import-claude-config', bad, '--config', configPath, '--write']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad} is not valid JSON`);
    expect(readFileSync(configPath, 'utf8')).toBe(EXISTING);
  });
});
