import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePluginsDir, hostStatus, pluginToolNames } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { pollUntil } from '../helpers/reload-wait.js';
import { runCli } from '../helpers/run-cli.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';

/** A fake connection string with a password: it must never show up in logs, status or list. */
const PASSWORD = 'Sup3r-S3cret-Pw';
const SECRET_URL = `postgres://admin:${PASSWORD}@db.internal.example:5432/app`;
// MCP_HOST_LOG_LEVEL overrides the file's logLevel ("error"), so the plugin's info logs are written.
const env = { SECRET_DB_URL: SECRET_URL, ONLY_ENV: 'env-value', IN_BOTH: 'from-env', MCP_HOST_LOG_LEVEL: 'info' };

/**
 * A config folder with plugins.json, a .env beside it and a relative plugin folder (./extra) holding
 * a copy of the config-echo fixture, which logs its whole config through ctx.logger.
 */
function makeConfigFolder(): { dir: string; configPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-host-env-'));
  mkdirSync(join(dir, 'extra'));
  mkdirSync(join(dir, 'logs'));
  cpSync(join(fixturePluginsDir, 'life-config-echo'), join(dir, 'extra', 'life-config-echo'), { recursive: true });
  writeFileSync(join(dir, '.env'), 'ONLY_DOTENV=dotenv-value\nIN_BOTH=from-dotenv\n');
  const configPath = writeConfig(
    {
      pluginDirs: ['./extra'],
      logLevel: 'error',
      logFile: './logs/host.log',
      plugins: {
        echo: {
          plugin: 'life-config-echo',
          config: {
            connectionString: '${SECRET_DB_URL}',
            fromEnv: '${ONLY_ENV}',
            fromDotenv: '${ONLY_DOTENV}',
            both: '${IN_BOTH}',
            withDefault: '${NOT_SET_ANYWHERE:-fallback-value}',
            dataDir: './data',
          },
        },
        unset: { plugin: 'life-config-echo', config: { connectionString: '${UNSET_DB_URL}' } },
        off: { plugin: 'life-config-echo', enabled: false, config: { connectionString: '${ALSO_UNSET_DB_URL}' } },
      },
    },
    dir,
  );
  return { dir, configPath };
}

describe.each(nodeBinaries())('plugins.json: variables, relative paths, secrets ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  let dir: string;
  let configPath: string;
  beforeAll(async () => {
    ({ dir, configPath } = makeConfigFolder());
    // The daemon's cwd is the repository, not the config folder: ./extra must resolve against the config file.
    host = await spawnHost({ configPath, node, env });
    await host.client.listTools();
  });
  afterAll(() => host?.close());

  it('fills ${VAR} from the environment and from .env (environment wins), and ${VAR:-default}', async () => {
    const result = await host.client.callTool({ name: 'echo__show', arguments: {} });
    expect(result.structuredContent).toEqual({
      fromEnv: 'env-value',
      fromDotenv: 'dotenv-value',
      both: 'from-env',
      withDefault: 'fallback-value',
      dataDir: './data',
      resolvedDataDir: join(dir, 'data'),
    });
  });

  it('finds plugins in a relative pluginDirs folder next to the config file', async () => {
    const status = await hostStatus(host.client);
    expect(status.byId('echo').state).toBe('serving');
    expect(pluginToolNames((await host.client.listTools()).tools)).toEqual(['echo__show']);
  });

  it('fails only the enabled instance whose ${VAR} is unset; a disabled one is fine', async () => {
    const status = await hostStatus(host.client);
    const unset = status.byId('unset');
    expect(unset.state).toBe('failed');
    expect(unset.error?.message).toContain('plugins.unset.config');
    expect(unset.error?.message).toContain('UNSET_DB_URL');
    expect(status.byId('off').state).toBe('disabled');
    expect(status.byId('off').error).toBeUndefined();
  });

  it('never shows the secret in stderr, even though the plugin logged its config', () => {
    const stderr = host.stderr();
    // Control: the plugin's config logs did reach stderr.
    expect(stderr).toContain('my config is');
    expect(stderr).toContain('connecting to');
    expect(stderr).toContain('started with');
    expect(stderr).not.toContain(PASSWORD);
    expect(stderr).not.toContain(SECRET_URL);
  });

  it('never shows the secret in the log file (relative logFile, JSON lines)', async () => {
    const logFile = join(dir, 'logs', 'host.log');
    // winston's file transport writes asynchronously: wait (bounded) for the plugin's line to land.
    const text = await pollUntil(
      'the plugin line in the log file',
      async () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      (current) => current.includes('my config is'),
    );
    expect(text).toContain('my config is');
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
    expect(text).not.toContain(PASSWORD);
  });

  it('never shows the secret in host__status', async () => {
    const result = await host.client.callTool({ name: 'host__status', arguments: {} });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it('never shows the secret in mcp-host list --json (stdout or stderr), run from another folder', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'mcp-host-cwd-'));
    const run = await runCli(['list', '--config', configPath, '--json'], { node, env, cwd: elsewhere });
    const listed = JSON.parse(run.stdout) as { instances: { instance: string; state: string }[] };
    expect(listed.instances.find((i) => i.instance === 'echo')?.state).toBe('serving');
    expect(run.stdout).not.toContain(PASSWORD);
    expect(run.stderr).not.toContain(PASSWORD);
  });
});
