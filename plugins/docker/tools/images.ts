/** list_images and inspect_image. */
import { refPath } from '../engine/engine.js';
import { formatBytes, table, textResult, unixToIso } from '../format/result.js';
import { redactDeep } from '../safety/redact.js';
import { imageRefSchema } from '../safety/refs.js';
import { READ_ONLY, type ToolFactory } from './annotations.js';
import { filtersSchema } from './containers.js';

interface ListedImage {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: number;
  Size: number;
  Containers: number;
}

const MAX_LISTED = 1000;

export const listImages: ToolFactory = (d) => ({
  name: 'list_images',
  title: 'List images',
  description: 'Lists local images with tags, id, size and creation time (all: true adds intermediate images; filters: dangling, label, reference, before, since).',
  inputSchema: {
    type: 'object',
    properties: { all: { type: 'boolean', default: false }, filters: filtersSchema },
    additionalProperties: false,
  },
  annotations: READ_ONLY,
  handler: async ({ all, filters }: { all?: boolean; filters?: Record<string, string[]> }, extra) => {
    try {
      const list = await d.engine.call<ListedImage[]>(
        { method: 'GET', path: '/images/json', query: { all: all === true, filters: filters && Object.keys(filters).length > 0 ? filters : undefined } },
        extra.signal,
      );
      const images = list.slice(0, MAX_LISTED).map((i) => ({
        id: i.Id.replace(/^sha256:/, '').slice(0, 12),
        tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
        digests: i.RepoDigests ?? [],
        created: unixToIso(i.Created),
        sizeBytes: i.Size,
      }));
      const text = [
        table(['ID', 'TAGS', 'SIZE', 'CREATED'], images.map((i) => [i.id, i.tags.join(', ') || '<none>', formatBytes(i.sizeBytes), i.created])),
        `(${list.length} image${list.length === 1 ? '' : 's'})`,
        ...(list.length > MAX_LISTED ? [`truncated: showing ${MAX_LISTED} of ${list.length}; narrow with filters.`] : []),
      ].join('\n');
      return textResult(text, { images, count: list.length, truncated: list.length > MAX_LISTED });
    } catch (error) {
      return d.failure(error);
    }
  },
});

export const inspectImage: ToolFactory = (d) => ({
  name: 'inspect_image',
  title: 'Inspect an image',
  description: "The Engine's description of one image (tags, config: env, cmd, entrypoint, exposed ports, labels; layers), with secret-looking values redacted.",
  inputSchema: { type: 'object', properties: { id: imageRefSchema }, required: ['id'], additionalProperties: false },
  annotations: READ_ONLY,
  handler: async ({ id }: { id: string }, extra) => {
    try {
      const info = await d.engine.call<Record<string, unknown>>({ method: 'GET', path: `/images/${refPath(id)}/json` }, extra.signal);
      const redacted = redactDeep(info) as Record<string, unknown>;
      return textResult(JSON.stringify(redacted, null, 2), { image: redacted });
    } catch (error) {
      return d.failure(error);
    }
  },
});
