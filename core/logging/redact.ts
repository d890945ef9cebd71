const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authorization|credential|connection[-_]?string|private[-_]?key/i;

/** Replaces known secret values inside a string, and `scheme://user:password@` credentials. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('***');
  return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1***@');
}

/** A deep copy of a log record's metadata with secret-looking keys and known secret values masked. */
export function redactValue(value: unknown, secrets: readonly string[], key = ''): unknown {
  if (typeof value === 'string') return key && SECRET_KEY.test(key) ? '***' : redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value instanceof Error) return redactText(value.stack ?? value.message, secrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, secrets, k)]));
  }
  return value;
}
