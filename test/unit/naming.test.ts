import { describe, expect, it } from 'vitest';
import { CLIENT_SAFE_NAME, checkNamespace, exposeName } from '../../core/registry/naming.js';
import { exposeUri, unexposeUri, uriNamespace } from '../../core/registry/resource-uri.js';

describe('exposed names', () => {
  it('prefixes with the namespace and two underscores, or not at all for ""', () => {
    expect(exposeName('files', 'read_text_file', 'files', 'tool')).toBe('files__read_text_file');
    expect(exposeName('', 'read', 'x', 'tool')).toBe('read');
  });

  it('shortens names over 64 characters deterministically and keeps them client-safe', () => {
    const long = 'a'.repeat(70);
    const one = exposeName('ns', long, 'ns', 'tool');
    expect(one).toHaveLength(64);
    expect(one).toMatch(CLIENT_SAFE_NAME);
    expect(exposeName('ns', long, 'ns', 'tool')).toBe(one);
    expect(exposeName('ns', long + 'b', 'ns', 'tool')).not.toBe(one);
  });

  it('refuses plugin names with characters clients reject', () => {
    for (const bad of ['read.file', 'a:b', 'a/b', 'a b', '']) {
      expect(() => exposeName('ns', bad, 'ns', 'tool')).toThrow(/NAME_INVALID|may use only/);
    }
  });

  it('refuses namespaces that would make the split ambiguous', () => {
    for (const bad of ['a__b', 'a_', '_a', 'a.b', 'a b']) expect(() => checkNamespace(bad, bad)).toThrow(/namespace/);
    for (const good of ['a', 'a_b', 'a-b', 'db2', '']) expect(() => checkNamespace(good, good)).not.toThrow();
  });
});

describe('exposed resource URIs', () => {
  it('puts the namespace in the authority and maps back exactly', () => {
    const cases: [string, string][] = [
      ['hello://greeting', 'hello://ns/greeting'],
      ['file:///etc/hosts', 'file://ns//etc/hosts'],
      ['postgres://db/schema/public', 'postgres://ns/db/schema/public'],
    ];
    for (const [original, exposed] of cases) {
      expect(exposeUri('ns', original, 'ns')).toBe(exposed);
      expect(uriNamespace(exposed)).toBe('ns');
      expect(unexposeUri('ns', exposed, new Set())).toBe(original);
    }
  });

  it('round-trips opaque URIs when the scheme is known to be opaque', () => {
    const exposed = exposeUri('ns', 'urn:isbn:123', 'ns');
    expect(exposed).toBe('urn://ns/isbn:123');
    expect(unexposeUri('ns', exposed, new Set(['urn']))).toBe('urn:isbn:123');
  });

  it('leaves URIs alone without a namespace and refuses ones without a scheme', () => {
    expect(exposeUri('', 'x://y', 'i')).toBe('x://y');
    expect(() => exposeUri('ns', 'no-scheme', 'i')).toThrow(/no scheme/);
    expect(unexposeUri('ns', 'hello://other/greeting', new Set())).toBeUndefined();
  });
});
