/** The operate profile: start, stop, restart, kill, pause, unpause (each under managedOnly; kill needs confirmation). */
import type { RequestExtra } from '../../../core/api/index.js';
import { seg } from '../engine/engine.js';
import { textResult } from '../format/result.js';
import { containerName, type DockerInstance } from '../instance.js';
import { confirmDestructive } from '../safety/confirm.js';
import { containerIdSchema } from '../safety/refs.js';
import { confirmSchema, DESTRUCTIVE, OPERATE_IDEMPOTENT, OPERATE_REPEATING, type ToolFactory } from './annotations.js';

interface Action {
  path: string;
  query?: Record<string, unknown>;
  /** Extra time the Engine may take beyond apiTimeoutMs (stop waits for the process). */
  extraMs?: number;
  /** Asks the user first (see safety/confirm.ts); `confirm` is the caller's argument. */
  destructive?: boolean;
  confirm?: boolean;
}

async function act(d: DockerInstance, id: string, verb: string, action: Action, extra: RequestExtra) {
  try {
    const info = await d.managed(id, verb, extra.signal);
    const name = containerName(info);
    if (action.destructive) await confirmDestructive(extra, action.confirm, `${verb} container "${name}" (${info.Id.slice(0, 12)})`);
    await d.engine.call(
      { method: 'POST', path: `/containers/${seg(info.Id)}/${action.path}`, query: action.query, ok: [200, 204, 304] },
      extra.signal,
      d.config.apiTimeoutMs + (action.extraMs ?? 0),
    );
    const after = await d.inspect(info.Id, extra.signal);
    const state = after.State;
    const detail = state.Running ? (state.Paused ? 'paused' : 'running') : `${state.Status}${state.Status === 'exited' ? ` (exit code ${state.ExitCode})` : ''}`;
    return textResult(`${verb}: ${name} (${info.Id.slice(0, 12)}) is now ${detail}`, { id: info.Id, name, state: state.Status, running: state.Running, paused: state.Paused, exitCode: state.ExitCode });
  } catch (error) {
    return d.failure(error);
  }
}

const idOnly = { type: 'object', properties: { id: containerIdSchema }, required: ['id'], additionalProperties: false } as const;

export const startContainer: ToolFactory = (d) => ({
  name: 'start_container',
  title: 'Start a container',
  description: 'Starts a stopped container (a running one stays as it is).',
  inputSchema: idOnly,
  annotations: OPERATE_IDEMPOTENT,
  handler: ({ id }: { id: string }, extra) => act(d, id, 'start', { path: 'start' }, extra),
});

export const stopContainer: ToolFactory = (d) => ({
  name: 'stop_container',
  title: 'Stop a container',
  description: 'Stops a container: SIGTERM (or its stop signal), then SIGKILL after timeoutS seconds (default: the container\'s own, usually 10).',
  inputSchema: {
    type: 'object',
    properties: { id: containerIdSchema, timeoutS: { type: 'integer', minimum: 0, maximum: 600, description: 'Seconds to wait before SIGKILL' } },
    required: ['id'],
    additionalProperties: false,
  },
  annotations: OPERATE_IDEMPOTENT,
  handler: ({ id, timeoutS }: { id: string; timeoutS?: number }, extra) =>
    act(d, id, 'stop', { path: 'stop', query: { t: timeoutS }, extraMs: (timeoutS ?? 30) * 1000 }, extra),
});

export const restartContainer: ToolFactory = (d) => ({
  name: 'restart_container',
  title: 'Restart a container',
  description: 'Stops (SIGTERM, then SIGKILL after timeoutS seconds) and starts a container again.',
  inputSchema: {
    type: 'object',
    properties: { id: containerIdSchema, timeoutS: { type: 'integer', minimum: 0, maximum: 600 } },
    required: ['id'],
    additionalProperties: false,
  },
  annotations: OPERATE_REPEATING,
  handler: ({ id, timeoutS }: { id: string; timeoutS?: number }, extra) =>
    act(d, id, 'restart', { path: 'restart', query: { t: timeoutS }, extraMs: (timeoutS ?? 30) * 1000 }, extra),
});

export const killContainer: ToolFactory = (d) => ({
  name: 'kill_container',
  title: 'Kill a container',
  description: 'Sends a signal (default SIGKILL) to a container\'s main process. Destructive: the user is asked to confirm.',
  inputSchema: {
    type: 'object',
    properties: {
      id: containerIdSchema,
      signal: { type: 'string', pattern: '^(?:SIG)?[A-Z][A-Z0-9+-]{0,15}$|^[0-9]{1,2}$', description: 'Signal name or number (default SIGKILL)' },
      confirm: confirmSchema,
    },
    required: ['id'],
    additionalProperties: false,
  },
  annotations: DESTRUCTIVE,
  handler: ({ id, signal, confirm }: { id: string; signal?: string; confirm?: boolean }, extra) =>
    act(d, id, `kill${signal ? ` (${signal})` : ''}`, { path: 'kill', query: { signal }, destructive: true, confirm }, extra),
});

export const pauseContainer: ToolFactory = (d) => ({
  name: 'pause_container',
  title: 'Pause a container',
  description: "Freezes every process of a container (cgroup freezer) until unpause_container.",
  inputSchema: idOnly,
  annotations: OPERATE_IDEMPOTENT,
  handler: ({ id }: { id: string }, extra) => act(d, id, 'pause', { path: 'pause' }, extra),
});

export const unpauseContainer: ToolFactory = (d) => ({
  name: 'unpause_container',
  title: 'Unpause a container',
  description: 'Resumes a paused container.',
  inputSchema: idOnly,
  annotations: OPERATE_IDEMPOTENT,
  handler: ({ id }: { id: string }, extra) => act(d, id, 'unpause', { path: 'unpause' }, extra),
});
