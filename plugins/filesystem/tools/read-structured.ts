import { extname } from 'node:path';
import { FsError } from '../safety/fs-error.js';
import { READ_ONLY, type ToolFactory } from '../services.js';
import { formatBytes } from '../text/encoding.js';
import { objectSchema, pathProp } from '../util/schema.js';
import { readText } from './read-text.js';

type Format = 'json' | 'yaml' | 'toml';

const FORMATS: Record<string, Format> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml', '.toml': 'toml' };

export const readStructured: ToolFactory = (s) => ({
  name: 'read_structured',
  title: 'Read JSON, YAML or TOML',
  description:
    'Parses a JSON, YAML (several documents too, e.g. Kubernetes manifests) or TOML file and returns its data with a one-line summary per document (such as "Deployment/web"). Parse errors name the line.',
  inputSchema: objectSchema({ path: pathProp('A .json, .yaml/.yml or .toml file') }, ['path']),
  annotations: READ_ONLY,
  handler: async (args: { path: string }) => {
    const { roots } = await s.roots.effective();
    const target = s.resolver.existing(args.path, roots);
    const format = FORMATS[extname(target.real).toLowerCase()];
    if (!format) throw new FsError(`${args.path}: not a .json, .yaml, .yml or .toml file`);
    // Parsing needs the whole file: allow a few times the response limit, and cut the data shown instead.
    const sizeCap = Math.max(4 * s.config.maxReadBytes, 1024 * 1024);
    const read = readText(target.real, args.path, {}, sizeCap);
    if (read.window.cut) throw new FsError(`${args.path}: ${formatBytes(read.size)} is too large to parse here (limit ${formatBytes(sizeCap)}); use read_text_file with line ranges`);
    const documents = await parse(format, read.text, args.path);
    const summaries = documents.map((d, i) => `${documents.length > 1 ? `${i + 1}. ` : ''}${summarize(d)}`);
    const header = `${format.toUpperCase()}, ${documents.length} document${documents.length === 1 ? '' : 's'}:\n${summaries.join('\n')}`;
    const data = documents.length === 1 ? documents[0] : documents;
    const json = JSON.stringify(data, null, 1);
    if (json.length > s.config.maxReadBytes) {
      return {
        content: [{ type: 'text', text: `${header}\n\n[data not shown: ${formatBytes(json.length)} as JSON is over the response limit; use read_text_file with line ranges]` }],
        structuredContent: { format, documents: documents.map((d) => ({ summary: summarize(d) })), truncated: true },
      };
    }
    return {
      content: [{ type: 'text', text: `${header}\n\n${json}` }],
      structuredContent: { format, documents: documents.map((d) => ({ summary: summarize(d), data: d })) },
    };
  },
});

// The YAML and TOML parsers load on first use: importing them costs start-up time every user would pay.
async function parse(format: Format, text: string, shown: string): Promise<unknown[]> {
  if (format === 'json') {
    try {
      return [JSON.parse(text)];
    } catch (error) {
      throw new FsError(`${shown}: invalid JSON: ${(error as Error).message}`);
    }
  }
  if (format === 'toml') {
    const { parse: parseToml } = await import('smol-toml');
    try {
      return [JSON.parse(JSON.stringify(parseToml(text)))];
    } catch (error) {
      throw new FsError(`${shown}: invalid TOML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const { parseAllDocuments } = await import('yaml');
  const docs = parseAllDocuments(text, { prettyErrors: true });
  if (!Array.isArray(docs)) return [];
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new FsError(`${shown}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    out.push(JSON.parse(JSON.stringify(doc.toJS({ maxAliasCount: 100 }) ?? null)));
  }
  // An empty document after a final `---` carries nothing.
  while (out.length > 1 && out[out.length - 1] === null) out.pop();
  return out;
}

/** One line about a document: Kubernetes-style kind/name, else its shape. */
export function summarize(doc: unknown): string {
  if (doc === null || doc === undefined) return 'empty document';
  if (Array.isArray(doc)) return `array of ${doc.length} item${doc.length === 1 ? '' : 's'}`;
  if (typeof doc === 'object') {
    const o = doc as Record<string, unknown>;
    if (typeof o.kind === 'string') {
      const meta = (o.metadata ?? {}) as Record<string, unknown>;
      const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '(unnamed)';
      const ns = typeof meta.namespace === 'string' ? ` (namespace ${meta.namespace})` : '';
      return `${o.kind}/${name}${ns}`;
    }
    const keys = Object.keys(o);
    const shown = keys.slice(0, 8).join(', ');
    return keys.length === 0 ? 'empty object' : `object with keys ${shown}${keys.length > 8 ? `, … (${keys.length} keys)` : ''}`;
  }
  const text = JSON.stringify(doc);
  return `${typeof doc} ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`;
}
