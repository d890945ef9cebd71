/** remove_container and remove_image: destructive, so the user confirms first. */
import { refPath, seg } from '../engine/engine.js';
import { textResult } from '../format/result.js';
import { containerName, errorResult } from '../instance.js';
import { confirmDestructive } from '../safety/confirm.js';
import { checkImageAllowed, containerIdSchema, imageRefSchema } from '../safety/refs.js';
import { confirmSchema, DESTRUCTIVE_IDEMPOTENT, type ToolFactory } from './annotations.js';

export const removeContainer: ToolFactory = (d) => ({
  name: 'remove_container',
  title: 'Remove a container',
  description: 'Removes a container (force: true also stops a running one; volumes: true also removes its anonymous volumes). Destructive: the user is asked to confirm.',
  inputSchema: {
    type: 'object',
    properties: {
      id: containerIdSchema,
      force: { type: 'boolean', default: false, description: 'Kill it first if it runs' },
      volumes: { type: 'boolean', default: false, description: 'Also remove its anonymous volumes' },
      confirm: confirmSchema,
    },
    required: ['id'],
    additionalProperties: false,
  },
  annotations: DESTRUCTIVE_IDEMPOTENT,
  handler: async ({ id, force, volumes, confirm }: { id: string; force?: boolean; volumes?: boolean; confirm?: boolean }, extra) => {
    try {
      const info = await d.managed(id, 'remove', extra.signal);
      const name = containerName(info);
      if (info.State.Running && !force) return errorResult(`container "${name}" is running: stop it first, or pass force: true`);
      await confirmDestructive(extra, confirm, `remove container "${name}" (${info.Id.slice(0, 12)})${info.State.Running ? ', which is running' : ''}${volumes ? ' and its anonymous volumes' : ''}`);
      await d.engine.call({ method: 'DELETE', path: `/containers/${seg(info.Id)}`, query: { force: force === true, v: volumes === true } }, extra.signal);
      return textResult(`removed container ${name} (${info.Id.slice(0, 12)})`, { id: info.Id, name, removed: true });
    } catch (error) {
      return d.failure(error);
    }
  },
});

export const removeImage: ToolFactory = (d) => ({
  name: 'remove_image',
  title: 'Remove an image',
  description: 'Removes a local image (or one of its tags). An image that any container still uses is not removed. Destructive: the user is asked to confirm.',
  inputSchema: {
    type: 'object',
    properties: { id: imageRefSchema, confirm: confirmSchema },
    required: ['id'],
    additionalProperties: false,
  },
  annotations: DESTRUCTIVE_IDEMPOTENT,
  handler: async ({ id, confirm }: { id: string; confirm?: boolean }, extra) => {
    try {
      checkImageAllowed(id, d.config.allowedImages);
      const image = await d.engine.call<{ Id: string; RepoTags?: string[] }>({ method: 'GET', path: `/images/${refPath(id)}/json` }, extra.signal);
      await confirmDestructive(extra, confirm, `remove image ${id} (${image.Id.replace(/^sha256:/, '').slice(0, 12)})`);
      const removed = await d.engine.call<{ Untagged?: string; Deleted?: string }[]>({ method: 'DELETE', path: `/images/${refPath(id)}` }, extra.signal);
      const lines = removed.map((r) => (r.Untagged ? `untagged ${r.Untagged}` : `deleted ${r.Deleted}`));
      return textResult(lines.join('\n') || `removed ${id}`, { removed });
    } catch (error) {
      return d.failure(error);
    }
  },
});
