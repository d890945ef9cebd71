import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import semver from 'semver';
import type { InstanceStatus } from '../api/tokens.js';
import { createHost } from '../host.js';
import { packagePath } from '../util/package-root.js';
import { Checklist } from './checklist.js';
import { claudeDesktopConfigPath } from './claude-desktop-paths.js';
import { claudeDesktopSnippet, cliEntryPath, DEFAULT_ENTRY_NAME, serverEntry } from './claude-desktop-entry.js';
import { claudeCodeRoom, invalidNames, tooLongForClaudeCode } from './claude-name-checks.js';
import { locateConfig } from './config-source.js';
import { print } from './print.js';

/**
 * Checks what a Claude Desktop user needs for this host to work — Node, the config, every plugin,
 * client-safe names — and prints the entry to register. Exit 0 when every check passes, else 1.
 */
export async function doctor(configFlag: string | undefined): Promise<number> {
  const report = new Checklist();
  checkNode(report);

  const source = locateConfig(configFlag);
  if (existsSync(source.path)) {
    report.add('ok', `config file ${source.path} (from ${source.rule})`);
    await checkHost(report, source.path);
  } else {
    report.add('fail', `config file not found: ${source.path} (from ${source.rule})`, [
      'pass --config FILE, set MCP_HOST_CONFIG, or create plugins.json in this folder or in the user config folder',
    ]);
  }

  const cli = cliEntryPath();
  if (!existsSync(cli)) report.add('fail', `the CLI the entry runs is missing: ${cli}`, ['run "npm run build" in the package folder']);
  describeClaudeDesktop(report, source.path);
  print(report.render());
  print('');
  print(`Claude Desktop entry (claude_desktop_config.json; "mcp-host claude-config --write" merges it in):`);
  print(JSON.stringify(claudeDesktopSnippet(source.path), null, 2));
  print('');
  print(report.failures === 0 ? 'All checks passed.' : `${report.failures} check${report.failures > 1 ? 's' : ''} failed.`);
  return report.failures === 0 ? 0 : 1;
}

function checkNode(report: Checklist): void {
  const engines = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')).engines?.node ?? '>=20.19.0';
  const ok = semver.satisfies(process.versions.node, engines);
  report.add(ok ? 'ok' : 'fail', `Node ${process.versions.node} at ${process.execPath} (needs ${engines})`, ok ? [] : ['install Node 20.19+ or Node 22 LTS']);
}

/** Validates the config, starts every instance once (no client), checks states and exposed names, stops. */
async function checkHost(report: Checklist, configPath: string): Promise<void> {
  const host = createHost({ configPath, logLevel: 'error' });
  if (host.configError) {
    report.add('fail', 'config is not valid', [host.configError]);
    report.add('info', 'plugin checks skipped until the config is valid');
    return;
  }
  const problems = host.manager.check(host.instanceErrors);
  const enabled = host.config.instances.filter((i) => i.enabled).length;
  if (problems.length === 0) report.add('ok', `config is valid (${count(host.config.instances.length, 'instance')}, ${enabled} enabled)`);
  else report.add('fail', `config has ${problems.length} problem${problems.length > 1 ? 's' : ''}`, problems);

  await host.start();
  try {
    for (const status of host.manager.list()) checkInstance(report, status);
    checkNames(report, host.registry.listTools().map((t) => t.name), host.registry.listPrompts().map((p) => p.name));
  } finally {
    await host.stop();
  }
}

function checkInstance(report: Checklist, s: InstanceStatus): void {
  const what = `instance "${s.instance}" (plugin ${s.plugin}${s.version ? '@' + s.version : ''})`;
  if (s.state === 'disabled') report.add('info', `${what}: disabled`);
  else if (s.state === 'serving') report.add('ok', `${what}: serving ${count(s.tools, 'tool')}, ${count(s.resources, 'resource')}, ${count(s.prompts, 'prompt')}`);
  else report.add('fail', `${what}: ${s.state}${s.error ? ` — ${s.error.code}: ${s.error.message}` : ''}`);
  for (const warning of s.warnings) report.add('warn', `instance "${s.instance}": ${warning}`);
}

function checkNames(report: Checklist, tools: string[], prompts: string[]): void {
  const names = [...tools, ...prompts];
  const invalid = invalidNames(names);
  if (invalid.length === 0) report.add('ok', `exposed names are valid for Claude clients (^[a-zA-Z0-9_-]{1,64}$): ${count(tools.length, 'tool')}, ${count(prompts.length, 'prompt')}`);
  else report.add('fail', `${invalid.length} names are not valid for Claude clients (Claude Desktop hides the whole toolset)`, invalid.map((n) => JSON.stringify(n)));

  const long = tooLongForClaudeCode(names, DEFAULT_ENTRY_NAME);
  if (long.length > 0) {
    report.add('warn', `Claude Code calls tools "mcp__${DEFAULT_ENTRY_NAME}__<name>", leaving ${claudeCodeRoom(DEFAULT_ENTRY_NAME)} characters; these names are longer and may be cut or refused there (use a shorter namespace):`,
      long.map((n) => `${n} (${n.length})`));
  }
}

/** Tells whether Claude Desktop's own config already runs this host (information, not a check). */
function describeClaudeDesktop(report: Checklist, configPath: string): void {
  const file = claudeDesktopConfigPath();
  if (!existsSync(file)) return report.add('info', `Claude Desktop config ${file} does not exist yet`);
  let servers: Record<string, unknown> | undefined;
  try {
    servers = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''))?.mcpServers;
  } catch {
    return report.add('warn', `Claude Desktop config ${file} is not valid JSON`);
  }
  const current = servers?.[DEFAULT_ENTRY_NAME];
  if (current === undefined) report.add('info', `Claude Desktop config ${file} has no "${DEFAULT_ENTRY_NAME}" entry yet`);
  else if (isDeepStrictEqual(current, serverEntry(configPath))) report.add('ok', `Claude Desktop config ${file} runs this host with this config`);
  else report.add('warn', `Claude Desktop config ${file} has a "${DEFAULT_ENTRY_NAME}" entry that differs from the one below`);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
