#!/usr/bin/env node
// The `mcp-host` command. Each subcommand is imported on demand so `serve` starts with the least code loaded.
import module from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { installStdoutGuard } from '../server/stdout-guard.js';
import { print } from './print.js';

// Node 22+ caches compiled code between runs: start-up is what Claude Desktop waits for.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** How many positional arguments the command takes (none unless set). */
  positionals?: number;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number | void>;
}

const config = { type: 'string', short: 'c' } as const;
const commands: Record<string, Command> = {
  serve: {
    summary: 'Run the MCP daemon: on stdio (the default), or with --http as a Streamable HTTP server at /mcp.',
    usage: 'mcp-host serve [--config FILE] [--no-watch] [--audit FILE] [--http [HOST:]PORT [--stateless]]   (SIGHUP reloads everything)',
    options: { config, 'no-watch': { type: 'boolean' }, audit: { type: 'string' }, http: { type: 'string' }, stateless: { type: 'boolean' } },
    run: async (v) => {
      // --audit FILE: the audit log is on, in FILE (relative to the current folder), whatever plugins.json says.
      const audit = typeof v.audit === 'string' ? resolvePath(v.audit) : undefined;
      if (v.http === undefined) {
        if (v.stateless) {
          process.stderr.write('mcp-host serve: --stateless needs --http [HOST:]PORT\n');
          return 2;
        }
        return (await import('./serve.js')).serve(v.config as string | undefined, !v['no-watch'], audit);
      }
      const { serveHttp } = await import('./serve-http.js');
      return serveHttp(v.http as string, v.config as string | undefined, !v['no-watch'], Boolean(v.stateless), audit);
    },
  },
  validate: {
    summary: 'Check plugins.json and every enabled instance\'s config; exit 1 listing each error with its JSON path.',
    usage: 'mcp-host validate [--config FILE]',
    options: { config },
    run: async (v) => (await import('./validate.js')).validate(v.config as string | undefined),
  },
  list: {
    summary: 'Start every instance once and list its state and its exposed tools, resources and prompts.',
    usage: 'mcp-host list [--config FILE] [--json]',
    options: { config, json: { type: 'boolean' } },
    run: async (v) => (await import('./list.js')).list(v.config as string | undefined, Boolean(v.json)),
  },
  doctor: {
    summary: 'Check Node, the config, each plugin, names valid for Claude clients; print the Claude Desktop entry.',
    usage: 'mcp-host doctor [--config FILE]',
    options: { config },
    run: async (v) => (await import('./doctor.js')).doctor(v.config as string | undefined),
  },
  'claude-config': {
    summary: 'Print the claude_desktop_config.json entry for this host; --write merges it into Claude Desktop\'s config (with a backup).',
    usage: 'mcp-host claude-config [--config FILE] [--write] [--name NAME]',
    options: { config, write: { type: 'boolean' }, name: { type: 'string' } },
    run: async (v) => (await import('./claude-config.js')).claudeConfig(v.config as string | undefined, Boolean(v.write), v.name as string | undefined),
  },
  'import-claude-config': {
    summary: 'Turn every server of a Claude Desktop config into an mcp-server instance in plugins.json: prints the diff (dry run); --write applies it.',
    usage: 'mcp-host import-claude-config [FILE] [--config FILE] [--write] [--show-secrets]   (FILE: default Claude Desktop\'s config)',
    options: { config, write: { type: 'boolean' }, 'show-secrets': { type: 'boolean' } },
    positionals: 1,
    run: async (v, [file]) =>
      (await import('./import-claude-config.js')).importClaudeConfig({ file, config: v.config as string | undefined, write: Boolean(v.write), showSecrets: Boolean(v['show-secrets']) }),
  },
};

function isServe(argv: string[]): boolean {
  return argv[0] === undefined || argv[0] === 'serve' || (argv[0].startsWith('-') && !argv.includes('--help') && !argv.includes('-h'));
}

function help(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)} ${c.summary}`);
  return ['Usage: mcp-host [command] [options]', '', 'Commands:', ...rows, '', 'Run "mcp-host <command> --help" for a command\'s options.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const explicit = argv[0] !== undefined && !argv[0].startsWith('-');
  const name = explicit ? argv[0] : 'serve';
  if (name === 'help' || (!explicit && (argv.includes('--help') || argv.includes('-h')))) {
    print(help());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`mcp-host: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: explicit ? argv.slice(1) : argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: Boolean(command.positionals),
    }));
    if (positionals.length > (command.positionals ?? 0)) throw new Error(`unexpected argument "${positionals[command.positionals ?? 0]}"`);
  } catch (error) {
    process.stderr.write(`mcp-host ${name}: ${(error as Error).message}\nUsage: ${command.usage}\n`);
    return 2;
  }
  if (values.help) {
    print(`${command.summary}\nUsage: ${command.usage}`);
    return 0;
  }
  return (await command.run(values, positionals)) ?? 0;
}

// From here on only JSON-RPC (serve) or a command's own report (print) reaches stdout.
installStdoutGuard();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // One-shot commands are done: a plugin's leftover timer or socket must not keep the process alive.
    // A serve that refused to start (code != 0) must not linger either.
    if (!isServe(process.argv.slice(2)) || code !== 0) setImmediate(() => process.exit(code));
  },
  (error) => {
    process.stderr.write(`mcp-host: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
