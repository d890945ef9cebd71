import { describe, expect, it } from 'vitest';
import { importEntries, instanceId, looksLikeHost } from '../../core/cli/claude-server-entries.js';
import { insertMembers } from '../../core/cli/json-insert-members.js';
import { maskInstance, maskUrlPassword } from '../../core/cli/mask-secrets.js';

describe('import-claude-config pieces', () => {
  it('makes valid instance names of entry names', () => {
    expect(instanceId('GitHub Tools')).toBe('GitHub-Tools');
    expect(instanceId('my__server_')).toBe('my_server');
    expect(instanceId('@scope/pkg.name')).toBe('scope-pkg-name');
    expect(instanceId('***')).toBe('server');
    expect(instanceId('host')).toBe('host-server');
    expect(instanceId('x'.repeat(60))).toHaveLength(40);
  });

  it('suffixes taken names, skips entries already imported, and keeps disabled ones disabled', () => {
    const existing = { fs: { plugin: 'hello' }, same: { plugin: 'mcp-server', config: { command: 'uvx', args: ['same'] } } };
    const out = importEntries(
      { fs: { command: 'npx', args: ['-y', 'fs'] }, again: { command: 'uvx', args: ['same'] }, off: { command: 'x', disabled: true }, bad: { args: [] } },
      existing,
      () => false,
    );
    expect(out).toEqual([
      { name: 'fs', id: 'fs-2', kind: 'stdio', instance: { plugin: 'mcp-server', config: { command: 'npx', args: ['-y', 'fs'] } } },
      { name: 'again', skipped: 'already imported as instance "same"' },
      { name: 'off', id: 'off', kind: 'stdio', instance: { plugin: 'mcp-server', enabled: false, config: { command: 'x' } } },
      { name: 'bad', skipped: 'neither a "command" nor a "url"' },
    ]);
  });

  it('recognizes entries that run mcp-host itself', () => {
    expect(looksLikeHost({ command: '/usr/bin/node', args: ['/opt/h/dist/cli/mcp-host.js', 'serve'] }, ['/opt/h/dist/cli/mcp-host.js'])).toBe(true);
    expect(looksLikeHost({ command: 'mcp-host', args: ['serve'] }, [])).toBe(true);
    expect(looksLikeHost({ command: 'npx', args: ['-y', 'mcp-plugin-host@0.1.0'] }, [])).toBe(true);
    expect(looksLikeHost({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem'] }, [])).toBe(false);
  });

  it('inserts members without touching the rest of the text', () => {
    const text = '{\n  "logLevel": "info",\n  "plugins": {\n    "a": { "config": {} }\n  }\n}\n';
    const out = insertMembers(text, 'plugins', [['b', { plugin: 'mcp-server', config: { command: 'npx', args: ['-y', 'b'] } }]])!;
    expect(out).toBe(
      '{\n  "logLevel": "info",\n  "plugins": {\n    "a": { "config": {} },\n    "b": {\n      "plugin": "mcp-server",\n      "config": {\n        "command": "npx",\n        "args": ["-y", "b"]\n      }\n    }\n  }\n}\n',
    );
    expect(JSON.parse(insertMembers('{"logLevel":"info"}', 'plugins', [['c', {}]])!)).toEqual({ logLevel: 'info', plugins: { c: {} } });
    expect(JSON.parse(insertMembers('{ "plugins": {} }', 'plugins', [['c', {}]])!)).toEqual({ plugins: { c: {} } });
    expect(JSON.parse(insertMembers('', 'plugins', [['c', {}]])!)).toEqual({ plugins: { c: {} } });
    expect(insertMembers('[1]', 'plugins', [['c', {}]])).toBeUndefined();
  });

  it('hides env and header values and URL passwords, but not ${VAR} references', () => {
    expect(maskUrlPassword('postgresql://me:s3cret@db:5432/x and https://h/y')).toBe('postgresql://me:<hidden>@db:5432/x and https://h/y');
    expect(maskInstance({ config: { command: 'x', env: { A: 'secret', B: '${B_TOKEN}' }, args: ['redis://:pw@h'] } }).config).toEqual({
      command: 'x',
      env: { A: '<hidden>', B: '${B_TOKEN}' },
      args: ['redis://:<hidden>@h'],
    });
  });
});
