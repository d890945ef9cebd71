import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INHERITED_ENV_POSIX } from '../../../plugins/mcp-server/child-env.js';
import { jsonOf } from '../../helpers/proto-fixture.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../../helpers/spawn-host.js';
import { nodeServer } from './harness.js';

describe('mcp-server: the server\'s environment is an allowlist, not the host\'s', () => {
  let host: HostUnderTest;
  beforeAll(async () => {
    const configPath = writeConfig({
      watch: false,
      plugins: {
        kitchen: nodeServer('kitchen-stdio.mjs', {
          catalogWaitMs: 20_000,
          env: { OWN_SETTING: 'from-config', API_KEY: '${KITCHEN_API_KEY}' },
          inheritEnv: ['HTTPS_PROXY'],
        }),
      },
    });
    host = await spawnHost({
      configPath,
      env: { DATABASE_URL: 'postgres://admin:hunter2@db/prod', AWS_SECRET_ACCESS_KEY: 'aws-secret', HTTPS_PROXY: 'http://proxy.local:3128', KITCHEN_API_KEY: 'k-123', LANG: 'C.UTF-8' },
    });
  });
  afterAll(() => host?.close());

  it('passes the allowlist, the names in inheritEnv and the config\'s env; nothing else of the host', async () => {
    const env = jsonOf<Record<string, string>>(await host.client.callTool({ name: 'kitchen__env', arguments: {} }));
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.HOME).toBe(process.env.HOME);
    expect(env.LANG).toBe('C.UTF-8');
    expect(env.OWN_SETTING).toBe('from-config');
    expect(env.API_KEY).toBe('k-123');
    expect(env.HTTPS_PROXY).toBe('http://proxy.local:3128');
    expect(env).not.toHaveProperty('DATABASE_URL');
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
    expect(env).not.toHaveProperty('KITCHEN_API_KEY');
    const allowed = new Set([...INHERITED_ENV_POSIX, 'OWN_SETTING', 'API_KEY', 'HTTPS_PROXY']);
    expect(Object.keys(env).filter((k) => !allowed.has(k))).toEqual([]);
  });
});
