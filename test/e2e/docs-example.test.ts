import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';

/** The plugin guide's example must keep working as written: it is what plugin authors copy. */
function codeBlocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

describe('the weather plugin from docs/plugin-guide.md', () => {
  let host: HostUnderTest;
  beforeAll(async () => {
    const guide = readFileSync(join(repoRoot, 'docs', 'plugin-guide.md'), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'mcp-host-guide-'));
    mkdirSync(join(dir, 'plugins', 'weather'), { recursive: true });
    writeFileSync(join(dir, 'plugins', 'weather', 'plugin.json'), codeBlocks(guide, 'json')[0]);
    writeFileSync(join(dir, 'plugins', 'weather', 'index.js'), codeBlocks(guide, 'js')[0]);
    host = await spawnHost({ configPath: writeConfig({ pluginDirs: ['./plugins'], plugins: { weather: { config: { units: 'metric' } } } }, dir) });
  });
  afterAll(() => host?.close());

  it('serves the names the guide promises', async () => {
    const tools = (await host.client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain('weather__current_temperature');
    expect((await host.client.listPrompts()).prompts.map((p) => p.name)).toEqual(['weather__packing_list']);
    expect((await host.client.listResources()).resources.map((r) => r.uri)).toEqual(['weather://weather/cities']);
    expect((await host.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)).toEqual(['weather://weather/city/{name}']);
  });

  it('answers a call, and refuses bad arguments before the handler runs', async () => {
    const ok = await host.client.callTool({ name: 'weather__current_temperature', arguments: { city: 'Oslo' } });
    expect(ok.structuredContent).toEqual({ city: 'Oslo', value: 3 });
    const bad = await host.client.callTool({ name: 'weather__current_temperature', arguments: { town: 'Oslo' } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain('city: required');
  });
});
