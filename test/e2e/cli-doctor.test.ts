import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { daemonEntry, fixturesDir } from '../helpers/paths.js';
import { runCli as runBuiltCli, type CliRun } from '../helpers/run-cli.js';
import { writeConfig } from '../helpers/spawn-host.js';

/** Runs the built CLI in a clean world: temp HOME and cwd, no MCP_HOST_CONFIG, Claude Desktop's config in a temp folder. */
function runCli(args: string[], options: { node?: string; cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const home = mkdtempSync(join(tmpdir(), 'mcp-host-home-'));
  const env = { HOME: home, CLAUDE_DESKTOP_CONFIG: join(home, 'claude', 'claude_desktop_config.json'), ...options.env };
  return runBuiltCli(args, { node: options.node, cwd: options.cwd ?? home, env });
}

const pluginDirs = [join(fixturesDir, 'plugins')];
const lines = (text: string) => text.split('\n');
/** The JSON block doctor prints after "Claude Desktop entry". */
function entryOf(stdout: string): { mcpServers: Record<string, { command: string; args: string[] }> } {
  const after = stdout.slice(stdout.indexOf('Claude Desktop entry'));
  return JSON.parse(after.slice(after.indexOf('\n{') + 1, after.indexOf('\n}\n') + 2));
}

describe.each(nodeBinaries())('mcp-host doctor ($label)', ({ path: node }) => {
  it('passes on a good config: Node, config, every instance, names, and the Claude Desktop entry', async () => {
    const configPath = writeConfig({ pluginDirs, plugins: { hello: { config: { greeting: 'Hi' } }, long: { plugin: 'doctor-long-names' } } });
    const run = await runCli(['doctor', '--config', configPath], { node });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const version = execFileSyncVersion(node);
    expect(run.stdout).toContain(`✓ Node ${version} at ${node} (needs >=20.19.0)`);
    expect(run.stdout).toContain(`✓ config file ${configPath} (from --config)`);
    expect(run.stdout).toMatch(/^✓ config is valid/m);
    expect(run.stdout).toMatch(/^✓ instance "hello" \(plugin hello@1\.0\.0\): serving 1 tool/m);
    expect(run.stdout).toMatch(/^✓ instance "long" \(plugin doctor-long-names@1\.0\.0\): serving 1 tool/m);
    expect(run.stdout).toMatch(/^✓ exposed names are valid for Claude clients/m);
    // 50 characters: fits 64, not the 49 left after "mcp__mcp-host__" — a warning, not a failure.
    expect(run.stdout).toMatch(/^! Claude Code calls tools "mcp__mcp-host__<name>", leaving 49 characters/m);
    expect(run.stdout).toContain('    long__summarize_every_open_pull_request_in_the_org (50)');
    expect(lines(run.stdout).filter((l) => l.startsWith('✗'))).toEqual([]);
    expect(run.stdout).toContain('All checks passed.');
    // A plugin's console.log goes to stderr, never into the report.
    expect(run.stdout).not.toContain('doctor-long-names: registering');
    expect(run.stderr).toContain('doctor-long-names: registering');
    const entry = entryOf(run.stdout).mcpServers['mcp-host'];
    expect(entry).toEqual({ command: node, args: [daemonEntry, 'serve', '--config', configPath] });
  });

  it('fails with exit 1 and names the instance that cannot start, while the others pass', async () => {
    const configPath = writeConfig({ pluginDirs, plugins: { hello: {}, broken: { plugin: 'doctor-start-fails' } } });
    const run = await runCli(['doctor', '--config', configPath], { node });
    expect(run.code).toBe(1);
    const failed = lines(run.stdout).filter((l) => l.startsWith('✗'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^✗ instance "broken" \(plugin doctor-start-fails@1\.0\.0\): failed — START_FAILED: .*backend unreachable at start-up/);
    expect(run.stdout).toMatch(/^✓ instance "hello" .*: serving/m);
    expect(run.stdout).toContain('1 check failed.');
    // The entry is still printed, so the user can register the host once the plugin is fixed.
    expect(entryOf(run.stdout).mcpServers['mcp-host'].args).toEqual([daemonEntry, 'serve', '--config', configPath]);
  });
});

describe('mcp-host doctor: finding and validating the config', () => {
  it('reports an invalid instance config with its JSON path and fails', async () => {
    const configPath = writeConfig({ plugins: { hello: { config: { greeting: 42 } } } });
    const run = await runCli(['doctor', '--config', configPath]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ config has 1 problem$/m);
    expect(run.stdout).toMatch(/^ {4}hello: .*greeting/m);
    expect(run.stdout).toMatch(/^✗ instance "hello" .*PLUGIN_CONFIG_INVALID/m);
  });

  it('reports a config that is not valid JSON and skips the plugin checks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-host-test-'));
    writeFileSync(join(dir, 'plugins.json'), '{ "plugins": ');
    const run = await runCli(['doctor', '--config', join(dir, 'plugins.json')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ config is not valid$/m);
    expect(run.stdout).toContain('is not valid JSON');
    expect(run.stdout).not.toMatch(/^. instance /m);
  });

  it('says the config came from MCP_HOST_CONFIG, and fails when that file is missing', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'mcp-host-test-')), 'nope.json');
    const run = await runCli(['doctor'], { env: { MCP_HOST_CONFIG: missing } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`✗ config file not found: ${missing} (from MCP_HOST_CONFIG)`);
  });

  it('says the config came from ./plugins.json when run in its folder without --config', async () => {
    const configPath = writeConfig({ plugins: { hello: {} } });
    const cwd = join(configPath, '..');
    const run = await runCli(['doctor'], { cwd });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain(`✓ config file ${configPath} (from ./plugins.json)`);
  });

  it('falls back to the user config folder under HOME', async () => {
    const run = await runCli(['doctor'], { env: { XDG_CONFIG_HOME: '' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ config file not found: .*mcp-host-home-[^/]+\/\.config\/mcp-host\/plugins\.json \(from the user config folder\)$/m);
  });
});

function execFileSyncVersion(node: string): string {
  return execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
}
