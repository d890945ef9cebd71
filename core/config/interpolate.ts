const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface Interpolation<T> {
  value: T;
  /** Variables referenced but not set and without a default. */
  missing: string[];
  /** Values filled in from variables (treated as secrets by the logger). */
  filled: string[];
}

/** Fills `${VAR}` and `${VAR:-default}` in every string of a JSON value, from `vars`. */
export function interpolate<T>(value: T, vars: Record<string, string | undefined>): Interpolation<T> {
  const missing = new Set<string>();
  const filled = new Set<string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(PATTERN, (_m, name: string, fallback: string | undefined) => {
        const found = vars[name];
        if (found !== undefined && found !== '') {
          filled.add(found);
          return found;
        }
        if (fallback !== undefined) return fallback;
        missing.add(name);
        return '';
      });
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value) as T, missing: [...missing], filled: [...filled] };
}
