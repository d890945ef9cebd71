/** Tool annotations: what clients use to decide what to auto-approve. The Engine is local, so only pull reaches the open world. */
import type { ToolDefinition } from '../../../core/api/index.js';
import type { DockerInstance } from '../instance.js';

type Annotations = NonNullable<ToolDefinition['annotations']>;

export const READ_ONLY: Annotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
/** Changes state, destroys nothing, the same call twice ends the same (start, stop, pause, unpause). */
export const OPERATE_IDEMPOTENT: Annotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false };
/** Changes state each time it is called (restart, create, run). */
export const OPERATE_REPEATING: Annotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
/** Destroys processes or data (kill, exec). */
export const DESTRUCTIVE: Annotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false };
/** Destroys, but a second call changes nothing more (remove_container, remove_image). */
export const DESTRUCTIVE_IDEMPOTENT: Annotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };
/** pull_image: talks to registries, may replace what a tag points to. */
export const PULL: Annotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ToolFactory = (d: DockerInstance) => ToolDefinition<any>;

export const confirmSchema = {
  type: 'boolean',
  description: 'Only for clients that cannot ask the user (no elicitation): true once the user has agreed to this action.',
} as const;
