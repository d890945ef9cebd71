import { describeFsFailure } from '../safety/fs-error.js';
import { READ_ONLY, type ToolFactory } from '../services.js';
import { formatBytes } from '../text/encoding.js';
import { objectSchema } from '../util/schema.js';
import { readText } from './read-text.js';

export const readMultipleFiles: ToolFactory = (s) => ({
  name: 'read_multiple_files',
  title: 'Read several text files',
  description:
    'Reads several text files in one call, each as its own text item headed "==> path <==". One failing file does not fail the others. ' +
    'All files share the response limit: files past it are cut, with a note on how to read the rest.',
  inputSchema: objectSchema(
    { paths: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 4096 }, description: 'File paths' } },
    ['paths'],
  ),
  annotations: READ_ONLY,
  handler: async (args: { paths: string[] }) => {
    const { roots } = await s.roots.effective();
    let budget = s.config.maxReadBytes;
    const content = args.paths.map((path) => {
      const head = `==> ${path} <==\n`;
      // What is left of the shared limit is not worth a sliver of the next file.
      if (budget < s.config.maxReadBytes / 16) return { type: 'text' as const, text: `${head}[not read: the response is full (${formatBytes(s.config.maxReadBytes)}); read this file on its own]` };
      try {
        const target = s.resolver.existing(path, roots);
        const read = readText(target.real, path, {}, budget);
        budget -= read.window.bytes.length;
        return { type: 'text' as const, text: `${head}${read.text}${read.note ? `\n${read.note}` : ''}` };
      } catch (error) {
        return { type: 'text' as const, text: `${head}[error: ${describeFsFailure(error, path).message}]` };
      }
    });
    return { content };
  },
});
