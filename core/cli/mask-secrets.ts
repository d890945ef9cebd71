/**
 * What the import shows of an instance: values of `env` and `headers` hidden (tokens, passwords) unless
 * they only reference a variable (`${TOKEN}`), and passwords inside URLs in `args`/`url`
 * (`postgresql://user:secret@db`) replaced. The written file keeps the real values.
 */
export function maskInstance<T extends { config: Record<string, unknown> }>(instance: T): T {
  const config = { ...instance.config };
  for (const key of ['env', 'headers'] as const) {
    const map = config[key] as Record<string, string> | undefined;
    if (map) config[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, /^\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}$/.test(v) ? v : HIDDEN]));
  }
  if (Array.isArray(config.args)) config.args = (config.args as string[]).map(maskUrlPassword);
  if (typeof config.url === 'string') config.url = maskUrlPassword(config.url);
  return { ...instance, config };
}

export const HIDDEN = '<hidden>';

/** `scheme://user:password@host` → `scheme://user:<hidden>@host`, anywhere in the string. */
export function maskUrlPassword(text: string): string {
  return text.replace(/([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)@/g, `$1${HIDDEN}@`);
}
