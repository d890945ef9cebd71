import picomatch from 'picomatch';

/**
 * A glob as find_files and search_content take it: `**` crosses folders, `{a,b}` alternates, dot files
 * match. A pattern without `/` matches the name at any depth (`*.ts`), one with `/` the path relative to
 * the folder searched (`src/**\/*.test.ts`).
 */
export function compileGlob(pattern: string): { test: (rel: string, name: string) => boolean } {
  const clean = pattern.replace(/^\.\//, '');
  const test = picomatch(clean, { dot: true });
  return clean.includes('/') ? { test: (rel) => test(rel) } : { test: (_rel, name) => test(name) };
}
