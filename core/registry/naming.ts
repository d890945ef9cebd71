import { createHash } from 'node:crypto';
import { HostError } from '../util/host-error.js';

/** Every exposed tool/prompt name must match this, or Claude Desktop hides the whole server's tools. */
export const CLIENT_SAFE_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Namespaces: letters, digits, `-`, single `_`, not ending in `_`, so the first `__` of an exposed name is always the separator. */
export const NAMESPACE_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]|_(?!_))*(?<!_)$/;
export const SEPARATOR = '__';
const MAX_NAME = 64;
const HASH_LENGTH = 8;

export function checkNamespace(namespace: string, instance: string): void {
  if (namespace === '' || NAMESPACE_PATTERN.test(namespace)) return;
  throw new HostError('NAME_INVALID', `namespace "${namespace}" of instance "${instance}" is invalid: use letters, digits, "-" and single "_", not ending in "_"`, {
    instance,
    expected: NAMESPACE_PATTERN.source,
    actual: namespace,
  });
}

/**
 * `<namespace>__<name>`, or `name` when the namespace is empty. Names over 64 characters are
 * shortened deterministically: the first 55 characters, `_`, and 8 hex digits of the full name's
 * SHA-256 (the routing table maps the short name back).
 */
export function exposeName(namespace: string, name: string, instance: string, kind: 'tool' | 'prompt'): string {
  if (!/^[a-zA-Z0-9_-]+$/.test(name)) {
    throw new HostError('NAME_INVALID', `${kind} name "${name}" of instance "${instance}" may use only letters, digits, "_" and "-"`, {
      instance,
      expected: '^[a-zA-Z0-9_-]+$',
      actual: name,
    });
  }
  const full = namespace ? `${namespace}${SEPARATOR}${name}` : name;
  if (full.length <= MAX_NAME) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_LENGTH);
  return `${full.slice(0, MAX_NAME - HASH_LENGTH - 1)}_${hash}`;
}
