/**
 * pull_image: allowedImages first, then the user's confirmation, then the pull, whose progress stream
 * is read line by line (errors arrive inside it, not as an HTTP status) and relayed as MCP progress.
 */
import { BadArgument } from '../engine/errors.js';
import { EventLineParser } from '../events/engine-events.js';
import { textResult } from '../format/result.js';
import { errorResult } from '../instance.js';
import { confirmDestructive } from '../safety/confirm.js';
import { checkImageAllowed, imageRefSchema } from '../safety/refs.js';
import { readStream } from '../streams/read-stream.js';
import { confirmSchema, PULL, type ToolFactory } from './annotations.js';

/** fromImage and tag of a reference (the tag may be a digest). */
export function splitRef(ref: string): { fromImage: string; tag: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { fromImage: ref, tag: 'latest' };
}

interface PullLine {
  status?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
}

export const pullImage: ToolFactory = (d) => ({
  name: 'pull_image',
  title: 'Pull an image',
  description:
    `Pulls an image from its registry (public registries, or ones the Engine can reach without credentials)${d.config.allowedImages ? `; only ${d.config.allowedImages.join(', ')}` : ''}. ` +
    `Bounded by pullTimeoutMs (${d.config.pullTimeoutMs} ms). The user is asked to confirm.`,
  inputSchema: { type: 'object', properties: { ref: imageRefSchema, confirm: confirmSchema }, required: ['ref'], additionalProperties: false },
  annotations: PULL,
  handler: async ({ ref, confirm }: { ref: string; confirm?: boolean }, extra) => {
    try {
      checkImageAllowed(ref, d.config.allowedImages);
      if (/^(?:sha256:)?[a-f0-9]{12,64}$/.test(ref)) throw new BadArgument('pull needs a reference (name[:tag]), not an image id');
      await confirmDestructive(extra, confirm, `pull image ${ref}`);
      const { fromImage, tag } = splitRef(ref);
      const response = await d.engine.open({ method: 'POST', path: '/images/create', query: { fromImage, tag }, ok: [200] }, extra.signal);
      let error: string | undefined;
      let last = '';
      let lines = 0;
      let lastProgress = 0;
      const parser = new EventLineParser((raw) => {
        const line = raw as PullLine;
        lines++;
        if (line.error || line.errorDetail?.message) {
          error = line.errorDetail?.message ?? line.error;
          return false;
        }
        if (line.status) last = `${line.id ? `${line.id}: ` : ''}${line.status}`;
        if (Date.now() - lastProgress > 500) {
          lastProgress = Date.now();
          void extra.sendProgress(lines, undefined, last).catch(() => {});
        }
        return true;
      });
      const outcome = await readStream(response, (chunk) => parser.push(chunk), { signal: extra.signal, deadlineMs: d.config.pullTimeoutMs, label: 'pull' });
      if (error) return errorResult(`pull of ${ref} failed: ${error}`);
      if (outcome.ended === 'deadline') return errorResult(`pull of ${ref} did not finish within pullTimeoutMs (${d.config.pullTimeoutMs} ms)`);
      return textResult(`pulled ${ref}: ${last || 'done'}`, { ref, status: last });
    } catch (error) {
      return d.failure(error);
    }
  },
});
