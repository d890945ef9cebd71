import picomatch from 'picomatch';

interface Rule {
  negate: boolean;
  dirOnly: boolean;
  /** Matched against the path relative to the .gitignore's folder (it had a `/`), else against the name. */
  anchored: boolean;
  re: RegExp;
}

const GLOB = { dot: true, nobrace: true, noextglob: true, noquantifiers: true, strictSlashes: true } as const;

/**
 * One .gitignore file compiled to regular expressions. Walks test every entry, so rules without a negation
 * are folded into one expression per kind (name or path, file or folder): one or two tests per entry.
 * A path under an ignored folder is never asked about (walks do not enter ignored folders), which is git's
 * rule that nothing inside an excluded folder can be re-included.
 */
export class GitignoreRules {
  private readonly rules: Rule[] = [];
  private readonly hasNegation: boolean;
  private readonly combined?: { fileName?: RegExp; filePath?: RegExp; dirName?: RegExp; dirPath?: RegExp };

  constructor(text: string) {
    for (const raw of text.split(/\r?\n/)) {
      const rule = parseLine(raw);
      if (rule) this.rules.push(rule);
    }
    this.hasNegation = this.rules.some((r) => r.negate);
    if (!this.hasNegation) {
      const join = (rules: Rule[]) => (rules.length > 0 ? new RegExp(rules.map((r) => `(?:${r.re.source})`).join('|')) : undefined);
      this.combined = {
        fileName: join(this.rules.filter((r) => !r.anchored && !r.dirOnly)),
        filePath: join(this.rules.filter((r) => r.anchored && !r.dirOnly)),
        dirName: join(this.rules.filter((r) => !r.anchored)),
        dirPath: join(this.rules.filter((r) => r.anchored)),
      };
    }
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** true: ignored; false: re-included by a `!` rule; undefined: no rule speaks about it. */
  match(rel: string, name: string, dir: boolean): boolean | undefined {
    const c = this.combined;
    if (c) {
      if (dir ? c.dirName?.test(name) || c.dirPath?.test(rel) : c.fileName?.test(name) || c.filePath?.test(rel)) return true;
      return undefined;
    }
    // With negations the last matching rule decides, as in git.
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const r = this.rules[i];
      if (r.dirOnly && !dir) continue;
      if (r.re.test(r.anchored ? rel : name)) return !r.negate;
    }
    return undefined;
  }
}

function parseLine(raw: string): Rule | undefined {
  let line = raw;
  // Trailing spaces are dropped unless escaped with a backslash.
  line = line.replace(/(?<!\\)\s+$/, '');
  if (line === '' || line.startsWith('#')) return undefined;
  let negate = false;
  if (line.startsWith('!')) {
    negate = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith('/')) {
    dirOnly = true;
    line = line.replace(/\/+$/, '');
  }
  if (line === '') return undefined;
  // A slash at the start or in the middle anchors the pattern to the .gitignore's folder.
  const anchored = line.includes('/');
  if (line.startsWith('/')) line = line.slice(1);
  // `**/x` matches at any depth, which name matching does more cheaply when the rest has no slash.
  if (line.startsWith('**/') && !line.slice(3).includes('/')) return { negate, dirOnly, anchored: false, re: picomatch.makeRe(line.slice(3), GLOB) };
  try {
    return { negate, dirOnly, anchored, re: picomatch.makeRe(line, GLOB) };
  } catch {
    return undefined;
  }
}
