/**
 * JSON with the keys of every object sorted (by UTF-16 code units, as RFC 8785 does) and no whitespace, so equal
 * values give equal text whatever their key order. Undefined members are left out and non-finite numbers become
 * null, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i] === undefined ? null : value[i]);
    return out + ']';
  }
  const object = value as Record<string, unknown>;
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((object as { toJSON(): unknown }).toJSON());
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + canonicalJson(member);
  }
  return out + '}';
}
