// The instance config: roots required, unknown keys refused, defaults applied, missing roots reported.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostStatus } from '../../helpers/host-status.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../../helpers/spawn-host.js';
import { createSandbox, type FsSandbox } from './fs-harness.js';

describe('filesystem config', () => {
  let sb: FsSandbox;
  let host: HostUnderTest;
  beforeAll(async () => {
    sb = createSandbox();
    const configPath = writeConfig({
      watch: false,
      plugins: {
        noroots: { plugin: 'filesystem', config: {} },
        typo: { plugin: 'filesystem', config: { roots: [sb.root], readonly: false } },
        missing: { plugin: 'filesystem', config: { roots: [join(sb.base, 'not-there'), sb.root] } },
        relative: { plugin: 'filesystem', config: { roots: ['root'] } },
      },
    }, sb.base);
    host = await spawnHost({ configPath });
  });
  afterAll(async () => {
    await host?.close();
    sb?.cleanup();
  });

  it('refuses a config without roots or with an unknown key, naming the field', async () => {
    const status = await hostStatus(host.client);
    expect(status.byId('noroots').state).toBe('failed');
    expect(status.byId('noroots').error?.message).toMatch(/roots/);
    expect(status.byId('typo').state).toBe('failed');
    expect(status.byId('typo').error?.message).toMatch(/readonly/);
  });

  it('serves the roots that exist and warns about the missing one', async () => {
    const status = await hostStatus(host.client);
    expect(status.byId('missing').warnings.join(' ')).toMatch(/not-there/);
    const result = (await host.client.callTool({ name: 'missing__list_roots', arguments: {} })) as any;
    expect(result.structuredContent.roots).toEqual([sb.root]);
  });

  it('resolves relative roots against the folder of plugins.json', async () => {
    const result = (await host.client.callTool({ name: 'relative__list_roots', arguments: {} })) as any;
    expect(result.structuredContent).toMatchObject({ roots: [sb.root], readOnly: true });
  });
});
