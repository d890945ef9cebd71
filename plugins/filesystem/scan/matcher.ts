/** How search_content matches: a literal (default) or a JavaScript regular expression; per line, like grep. */
export interface MatcherSpec {
  pattern: string;
  regex: boolean;
  caseSensitive: boolean;
}

export interface Matcher {
  /** Quick test on the raw bytes: false means the file cannot match (skips decoding). */
  mayMatch(bytes: Buffer): boolean;
  /** A fresh global, multiline regular expression for finding matches in decoded text. */
  regex: RegExp;
}

/** Smart case: a pattern with no upper-case letter matches either case unless told otherwise. */
export function resolveCase(pattern: string, caseSensitive: boolean | undefined): boolean {
  return caseSensitive ?? pattern !== pattern.toLowerCase();
}

export function compileMatcher(spec: MatcherSpec): Matcher {
  const source = spec.regex ? spec.pattern : spec.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const flags = `gm${spec.caseSensitive ? '' : 'i'}`;
  let regex: RegExp;
  try {
    regex = new RegExp(source, `${flags}u`);
  } catch {
    // Patterns written for engines without the u flag (e.g. `\-`) still work without it.
    regex = new RegExp(source, flags);
  }
  if (!spec.regex && spec.caseSensitive) {
    const needle = Buffer.from(spec.pattern, 'utf8');
    return { regex, mayMatch: (bytes) => bytes.indexOf(needle) >= 0 };
  }
  if (!spec.regex && /^[\x20-\x7e]+$/.test(spec.pattern)) {
    // An ASCII literal in any case: test the bytes read as Latin-1 (a copy, no UTF-8 decoding). No
    // non-ASCII character folds to an ASCII one without the u flag, so this never misses a match.
    const pre = new RegExp(source, 'i');
    return { regex, mayMatch: (bytes) => pre.test(bytes.toString('latin1')) };
  }
  return { regex, mayMatch: () => true };
}
