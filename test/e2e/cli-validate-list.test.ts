import { describe, expect, it } from 'vitest';
import { fixturePluginsDir } from '../helpers/host-status.js';
import { runCli } from '../helpers/run-cli.js';
import { writeConfig } from '../helpers/spawn-host.js';

/** Instances whose own config is wrong, each in a different way; `off` is wrong too but disabled. */
const badInstances = {
  analytics: { plugin: 'life-config-echo', config: {} },
  port: { plugin: 'fail-config-schema', config: { port: 'eighty' } },
  extra: { plugin: 'fail-config-schema', config: { port: 8080, colour: 'blue' } },
  ghost: { plugin: 'no-such-plugin' },
  unset: { plugin: 'life-config-echo', config: { connectionString: '${CLI_TEST_UNSET_VAR}' } },
  off: { plugin: 'fail-config-schema', enabled: false, config: { port: 'never checked' } },
};
const badInstanceErrors = [
  'plugins.analytics.config.connectionString: required',
  'plugins.port.config.port: must be integer',
  'plugins.extra.config.colour: unknown key',
  'no-such-plugin',
  'CLI_TEST_UNSET_VAR',
];
const badFileErrors = ['colour: unknown key', 'logLevel: must be one of'];

describe('mcp-host validate', () => {
  it('exits 0 on a valid file', async () => {
    const configPath = writeConfig({ pluginDirs: [fixturePluginsDir], logLevel: 'warn', plugins: { hello: { config: { greeting: 'Hi' } }, port: { plugin: 'fail-config-schema', config: { port: 8080 } } } });
    const run = await runCli(['validate', '--config', configPath]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('valid');
  });

  it('exits 1 listing every instance config error with its JSON path', async () => {
    const configPath = writeConfig({ pluginDirs: [fixturePluginsDir], plugins: { hello: {}, ...badInstances } });
    const run = await runCli(['validate', '--config', configPath]);
    expect(run.code).toBe(1);
    for (const error of badInstanceErrors) expect(run.stdout).toContain(error);
    expect(run.stdout).not.toContain('never checked');
    expect(run.stdout).not.toMatch(/\boff\b/);
  });

  it('exits 1 listing every file-level error with its JSON path', async () => {
    const configPath = writeConfig({ colour: 'blue', logLevel: 42, plugins: { hello: {} } });
    const run = await runCli(['validate', '--config', configPath]);
    expect(run.code).toBe(1);
    for (const error of badFileErrors) expect(run.stdout).toContain(error);
  });

  it('lists file-level and instance config errors together in one run', async () => {
    const configPath = writeConfig({ colour: 'blue', logLevel: 42, pluginDirs: [fixturePluginsDir], plugins: { hello: {}, ...badInstances } });
    const run = await runCli(['validate', '--config', configPath]);
    expect(run.code).toBe(1);
    for (const error of [...badFileErrors, ...badInstanceErrors]) expect(run.stdout).toContain(error);
  });

  it('exits 1 on a file that is not JSON or does not exist', async () => {
    const missing = await runCli(['validate', '--config', '/nonexistent/plugins.json']);
    expect(missing.code).toBe(1);
    expect(missing.stdout + missing.stderr).toContain('/nonexistent/plugins.json');
  });
});

describe('mcp-host list', () => {
  const config = {
    pluginDirs: [fixturePluginsDir],
    plugins: {
      hello: { config: { greeting: 'Hi' } },
      plain: { plugin: 'hello', namespace: '' },
      off: { plugin: 'hello', enabled: false },
      slow: { plugin: 'life-slow-start', config: { delayMs: 10 } },
    },
  };

  it('--json lists every instance with its state and exposed tools, resources and prompts', async () => {
    const run = await runCli(['list', '--config', writeConfig(config), '--json']);
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as { instances: { instance: string; plugin: string; state: string; exposed: Record<string, string[]> }[] };
    const byId = Object.fromEntries(listed.instances.map((i) => [i.instance, i]));
    expect(byId.hello).toMatchObject({
      plugin: 'hello',
      state: 'serving',
      exposed: { tools: ['hello__greet'], resources: ['hello://hello/greeting', 'hello://hello/greeting/{name}'], prompts: ['hello__welcome'] },
    });
    expect(byId.plain).toMatchObject({ state: 'serving', exposed: { tools: ['greet'], resources: ['hello://greeting', 'hello://greeting/{name}'], prompts: ['welcome'] } });
    expect(byId.off).toMatchObject({ state: 'disabled', exposed: { tools: [], resources: [], prompts: [] } });
    expect(byId.slow).toMatchObject({ plugin: 'life-slow-start', state: 'serving', exposed: { tools: ['slow__ping'], resources: [], prompts: [] } });
  });

  it('prints the same in text form', async () => {
    const run = await runCli(['list', '--config', writeConfig(config)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^hello\b.*state=serving/m);
    expect(run.stdout).toMatch(/^off\b.*state=disabled/m);
    expect(run.stdout).toContain('hello__greet');
    expect(run.stdout).toContain('slow__ping');
  });
});

describe('--help', () => {
  it.each([[[]], [['serve']], [['validate']], [['list']], [['doctor']], [['claude-config']]])('mcp-host %j --help exits 0 with usage', async (command) => {
    const run = await runCli([...command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/usage/i);
    if (command.length) expect(run.stdout).toContain(`mcp-host ${command[0]}`);
  });
});
