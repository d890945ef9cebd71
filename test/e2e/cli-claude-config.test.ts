import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeDesktopConfigPath } from '../../core/cli/claude-desktop-paths.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { daemonEntry } from '../helpers/paths.js';
import { runCli as runBuiltCli, type CliRun } from '../helpers/run-cli.js';
import { writeConfig } from '../helpers/spawn-host.js';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** Runs the built CLI with HOME (and cwd) in a fresh temp folder; `claudeConfig` sets CLAUDE_DESKTOP_CONFIG. */
function runCli(args: string[], options: { node?: string; cwd?: string; claudeConfig?: string; home?: string } = {}): Promise<CliRun> {
  const home = options.home ?? temp('mcp-host-home-');
  const env: Record<string, string> = { HOME: home, ...(options.claudeConfig ? { CLAUDE_DESKTOP_CONFIG: options.claudeConfig } : {}) };
  return runBuiltCli(args, { node: options.node, cwd: options.cwd ?? home, env });
}

/** A Claude Desktop config as a user has it: another server and another top-level key. */
const existing = {
  globalShortcut: 'Ctrl+Space',
  mcpServers: { postgres: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://localhost/db'], env: { PGPASSWORD: 'x' } } },
};

function claudeConfigFile(content?: string): string {
  const file = join(temp('mcp-host-claude-'), 'Claude', 'claude_desktop_config.json');
  if (content !== undefined) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return file;
}

const backupsOf = (file: string) => readdirSync(dirname(file)).filter((f) => f.startsWith('claude_desktop_config.json.bak-'));

describe.each(nodeBinaries())('mcp-host claude-config ($label)', ({ path: node }) => {
  it('prints the entry as JSON with absolute paths: this node, the built CLI, the resolved config', async () => {
    const configPath = writeConfig({ plugins: { hello: {} } });
    const run = await runCli(['claude-config', '--config', 'plugins.json'], { node, cwd: dirname(configPath) });
    expect(run.code, run.stderr).toBe(0);
    const snippet = JSON.parse(run.stdout);
    expect(Object.keys(snippet)).toEqual(['mcpServers']);
    const entry = snippet.mcpServers['mcp-host'];
    expect(entry).toEqual({ command: node, args: [daemonEntry, 'serve', '--config', configPath] });
    for (const path of [entry.command, entry.args[0], entry.args[3]]) {
      expect(isAbsolute(path)).toBe(true);
      expect(existsSync(path)).toBe(true);
    }
  });
});

describe('mcp-host claude-config', () => {
  it('uses --name as the key and warns on stderr when the config does not exist yet', async () => {
    const missing = join(temp('mcp-host-test-'), 'plugins.json');
    const run = await runCli(['claude-config', '--config', missing, '--name', 'tools']);
    expect(run.code).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout).mcpServers)).toEqual(['tools']);
    expect(run.stderr).toContain(`${missing} does not exist yet`);
  });

  it('--write merges into an existing config: keeps other servers and keys, backs up the old file, and a second run changes nothing', async () => {
    const configPath = writeConfig({ plugins: { hello: {} } });
    const before = JSON.stringify(existing, null, 4);
    const file = claudeConfigFile(before);

    const first = await runCli(['claude-config', '--config', configPath, '--write'], { claudeConfig: file });
    expect(first.code, first.stderr).toBe(0);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.globalShortcut).toBe('Ctrl+Space');
    expect(written.mcpServers.postgres).toEqual(existing.mcpServers.postgres);
    expect(written.mcpServers['mcp-host']).toEqual({ command: process.execPath, args: [daemonEntry, 'serve', '--config', configPath] });
    expect(Object.keys(written.mcpServers)).toEqual(['postgres', 'mcp-host']);
    const backups = backupsOf(file);
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dirname(file), backups[0]), 'utf8')).toBe(before);
    expect(first.stdout).toContain(`Added the "mcp-host" entry in ${file}`);
    expect(first.stdout).toContain(`Backup of the previous file: ${join(dirname(file), backups[0])}`);
    expect(first.stdout).toMatch(/Quit Claude Desktop completely/);
    // Nothing but the config and its backup: the temp file was renamed into place.
    expect(readdirSync(dirname(file)).sort()).toEqual(['claude_desktop_config.json', backups[0]].sort());

    const afterFirst = readFileSync(file);
    const second = await runCli(['claude-config', '--config', configPath, '--write'], { claudeConfig: file });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('nothing written');
    expect(readFileSync(file).equals(afterFirst)).toBe(true);
    expect(backupsOf(file)).toEqual(backups);
  });

  it('--write replaces a stale entry of the same name and keeps the rest', async () => {
    const configPath = writeConfig({ plugins: { hello: {} } });
    const stale = { ...existing, mcpServers: { ...existing.mcpServers, 'mcp-host': { command: 'node', args: ['/old/main.js'] } } };
    const file = claudeConfigFile(JSON.stringify(stale));
    const run = await runCli(['claude-config', '--config', configPath, '--write'], { claudeConfig: file });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Replaced the "mcp-host" entry');
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(written.mcpServers)).toEqual(['postgres', 'mcp-host']);
    expect(written.mcpServers['mcp-host'].args).toEqual([daemonEntry, 'serve', '--config', configPath]);
    expect(written.globalShortcut).toBe('Ctrl+Space');
  });

  it.runIf(process.platform === 'linux')('--write without an override creates ~/.config/Claude/claude_desktop_config.json and its folders', async () => {
    const configPath = writeConfig({ plugins: { hello: {} } });
    const home = temp('mcp-host-home-');
    const run = await runCli(['claude-config', '--config', configPath, '--write', '--name', 'host'], { home });
    expect(run.code, run.stderr).toBe(0);
    const file = join(home, '.config', 'Claude', 'claude_desktop_config.json');
    expect(run.stdout).toContain(`Created the "host" entry in ${file}`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ mcpServers: { host: { command: process.execPath, args: [daemonEntry, 'serve', '--config', configPath] } } });
    expect(backupsOf(file)).toEqual([]);
  });

  it('--write refuses a file that is not valid JSON and leaves it byte-identical, with no backup', async () => {
    const configPath = writeConfig({ plugins: { hello: {} } });
    const corrupt = '{\n  "mcpServers": {\n    "postgres": { "command": "npx", }\n';
    const file = claudeConfigFile(corrupt);
    const run = await runCli(['claude-config', '--config', configPath, '--write'], { claudeConfig: file });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file} is not valid JSON`);
    expect(run.stderr).toContain('nothing was written');
    expect(readFileSync(file, 'utf8')).toBe(corrupt);
    expect(readdirSync(dirname(file))).toEqual(['claude_desktop_config.json']);
  });

  it('--write refuses a file whose mcpServers is not an object, leaving it untouched', async () => {
    const configPath = writeConfig({ plugins: { hello: {} } });
    const odd = JSON.stringify({ mcpServers: ['not', 'an', 'object'] });
    const file = claudeConfigFile(odd);
    const run = await runCli(['claude-config', '--config', configPath, '--write'], { claudeConfig: file });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('"mcpServers" is not an object');
    expect(readFileSync(file, 'utf8')).toBe(odd);
    expect(readdirSync(dirname(file))).toEqual(['claude_desktop_config.json']);
  });
});

describe('Claude Desktop config location', () => {
  it('follows each platform, and CLAUDE_DESKTOP_CONFIG overrides it', () => {
    expect(claudeDesktopConfigPath({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/Claude/claude_desktop_config.json');
    expect(claudeDesktopConfigPath({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe(join('C:\\Users\\ada\\AppData\\Roaming', 'Claude', 'claude_desktop_config.json'));
    expect(claudeDesktopConfigPath({}, 'linux', '/home/ada')).toBe('/home/ada/.config/Claude/claude_desktop_config.json');
    expect(claudeDesktopConfigPath({ XDG_CONFIG_HOME: '/home/ada/.cfg' }, 'linux', '/home/ada')).toBe('/home/ada/.cfg/Claude/claude_desktop_config.json');
    expect(claudeDesktopConfigPath({ CLAUDE_DESKTOP_CONFIG: '/tmp/x.json' }, 'darwin', '/Users/ada')).toBe('/tmp/x.json');
  });
});
