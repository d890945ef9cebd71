/**
 * Redaction of values that look secret in what the Engine returns: env vars and labels named like
 * PASSWORD/TOKEN/SECRET/KEY, registry auth fields, credentials in URLs, and secret-named command-line
 * flags. Names stay visible (the model may need to know a variable is set), values do not.
 */
export const REDACTED = '[redacted]';

const SECRET_NAME = /pass(?:word|wd|phrase)?|pwd|secret|token|api[-_.]?key|access[-_.]?key|private[-_.]?key|(?:^|[-_.])key(?:s)?(?:$|[-_.])|credential|auth|cookie|session|signature|salt|dsn|connection[-_.]?string/i;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;
const INLINE_SECRET = /\b([\w.-]*(?:pass(?:word|wd)?|pwd|secret|token|api[-_]?key|access[-_]?key)[\w.-]*=)([^\s,;&]+)/gi;
const SECRET_FLAG = /^(--?[\w.-]*(?:pass(?:word|wd)?|pwd|secret|token|api[-_]?key|access[-_]?key|auth)[\w.-]*)$/i;
/** The same flag followed by its value inside one command string ("sleep --password x"). */
const SECRET_FLAG_IN_TEXT = /(^|\s)(--?[\w.-]*(?:pass(?:word|wd)?|pwd|secret|token|api[-_]?key|access[-_]?key|auth)[\w.-]*)\s+(?!-)(\S+)/gi;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Credentials inside free text: URL user:password@, key=value pairs with secret-looking keys. */
export function redactText(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1${REDACTED}@`).replace(INLINE_SECRET, `$1${REDACTED}`).replace(SECRET_FLAG_IN_TEXT, `$1$2 ${REDACTED}`);
}

/** `NAME=value` entries (Config.Env). */
export function redactEnv(env: unknown): unknown {
  if (!Array.isArray(env)) return env;
  return env.map((entry) => {
    if (typeof entry !== 'string') return entry;
    const eq = entry.indexOf('=');
    if (eq < 0) return entry;
    const name = entry.slice(0, eq);
    return isSecretName(name) ? `${name}=${REDACTED}` : `${name}=${redactText(entry.slice(eq + 1))}`;
  });
}

/** Command lines (Cmd, Entrypoint, Args): `--password=x`, `--token x`, URL credentials. */
export function redactArgs(args: unknown): unknown {
  if (!Array.isArray(args)) return typeof args === 'string' ? redactText(args) : args;
  return args.map((arg, i) => {
    if (typeof arg !== 'string') return arg;
    const previous = args[i - 1];
    if (typeof previous === 'string' && SECRET_FLAG.test(previous) && !arg.startsWith('-')) return REDACTED;
    return redactText(arg);
  });
}

function redactLabels(labels: unknown): unknown {
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) return labels;
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, isSecretName(k) ? REDACTED : typeof v === 'string' ? redactText(v) : v]));
}

/** A deep copy of an Engine answer with secret-looking values replaced. */
export function redactDeep(value: unknown, key = ''): unknown {
  if (key === 'Env') return redactEnv(value);
  if (key === 'Labels') return redactLabels(value);
  if (key === 'Cmd' || key === 'Entrypoint' || key === 'Args' || key === 'Command' || key === 'Test') return redactArgs(value);
  if (typeof value === 'string') return key && isSecretName(key) ? REDACTED : redactText(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, k);
    return out;
  }
  return value;
}
