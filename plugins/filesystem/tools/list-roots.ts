import { READ_ONLY, type ToolFactory } from '../services.js';
import { textResult } from '../util/result.js';
import { objectSchema } from '../util/schema.js';

export const listRoots: ToolFactory = (s) => ({
  name: 'list_roots',
  title: 'List allowed folders',
  description: 'Lists the folders these tools may access (every path must be inside one; relative paths start from the first) and whether writing is allowed.',
  inputSchema: objectSchema({}),
  annotations: READ_ONLY,
  handler: async () => {
    const { roots, configured, clientRoots } = await s.roots.effective();
    const lines = roots.map((r) => (r.narrowedFrom ? `${r.path} (narrowed by the client from ${r.narrowedFrom})` : r.path));
    const mode = s.config.readOnly ? 'read-only (write tools are not available)' : 'read and write';
    const text = `${lines.join('\n')}\n\nRelative paths start from ${roots[0].path}. Access: ${mode}.`;
    return textResult(text, [], {
      roots: roots.map((r) => r.path),
      configured: configured.map((r) => r.path),
      ...(clientRoots ? { clientRoots } : {}),
      readOnly: s.config.readOnly,
    });
  },
});
