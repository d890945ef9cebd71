/**
 * exec: runs a command in a running container (managedOnly, confirmed by the user), with its output
 * demultiplexed and capped and its run time bounded. The Engine has no call to stop an exec'd process:
 * on a local Engine the plugin kills it itself after checking (through /proc/<pid>/cgroup) that the PID
 * the Engine reported belongs to that container; otherwise the answer says it may still be running.
 */
import { readFileSync } from 'node:fs';
import type { RequestExtra } from '../../../core/api/index.js';
import { seg } from '../engine/engine.js';
import { BadArgument } from '../engine/errors.js';
import { textResult } from '../format/result.js';
import { containerName, errorResult, type DockerInstance } from '../instance.js';
import { confirmDestructive } from '../safety/confirm.js';
import { containerIdSchema } from '../safety/refs.js';
import { OutputCollector } from '../streams/collector.js';
import { Demuxer } from '../streams/demux.js';
import { readStream } from '../streams/read-stream.js';
import { confirmSchema, DESTRUCTIVE, type ToolFactory } from './annotations.js';

interface ExecArgs {
  id: string;
  cmd: string[];
  timeoutMs?: number;
  maxOutputBytes?: number;
  workingDir?: string;
  user?: string;
  confirm?: boolean;
}

interface ExecInspect {
  Running: boolean;
  ExitCode: number | null;
  Pid: number;
}

/** How much output past the cap is read (and dropped) while waiting for the command to end. */
const DRAIN_LIMIT = 16 * 1024 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Kills the exec'd process when it provably belongs to the container (local Engine only). */
function killExecProcess(pid: number, containerId: string): string {
  if (!pid) return 'the Engine reported no PID';
  try {
    const cgroup = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
    if (!cgroup.includes(containerId)) return `PID ${pid} is not in the container's cgroup here (remote or rootless Engine?)`;
    process.kill(pid, 'SIGKILL');
    return 'killed';
  } catch (error) {
    return `could not stop PID ${pid}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}

async function waitExit(d: DockerInstance, execId: string, untilMs: number): Promise<ExecInspect> {
  for (;;) {
    const state = await d.engine.call<ExecInspect>({ method: 'GET', path: `/exec/${seg(execId)}/json` });
    if (!state.Running || Date.now() >= untilMs) return state;
    await sleep(50);
  }
}

async function runExec(d: DockerInstance, args: ExecArgs, extra: RequestExtra) {
  const info = await d.managed(args.id, 'exec', extra.signal);
  const name = containerName(info);
  if (!info.State.Running || info.State.Paused) throw new BadArgument(`container "${name}" is ${info.State.Paused ? 'paused' : info.State.Status}: exec needs a running container`);
  const timeoutMs = Math.min(args.timeoutMs ?? d.config.execTimeoutMs, d.config.execTimeoutMs);
  const cap = Math.min(args.maxOutputBytes ?? d.config.maxLogBytes, d.config.maxLogBytes);
  await confirmDestructive(extra, args.confirm, `run ${JSON.stringify(args.cmd)} in container "${name}" (${info.Id.slice(0, 12)})`);

  const started = Date.now();
  const deadline = started + timeoutMs;
  const created = await d.engine.call<{ Id: string }>(
    {
      method: 'POST',
      path: `/containers/${seg(info.Id)}/exec`,
      body: { AttachStdin: false, AttachStdout: true, AttachStderr: true, Tty: false, Privileged: false, Cmd: args.cmd, WorkingDir: args.workingDir, User: args.user },
    },
    extra.signal,
  );
  const response = await d.engine.open({ method: 'POST', path: `/exec/${seg(created.Id)}/start`, body: { Detach: false, Tty: false } }, extra.signal);
  const collector = new OutputCollector(cap);
  // Past the cap, output is read and dropped so a command that ends soon still reports its exit code;
  // one that keeps writing past DRAIN_LIMIT more is stopped, as `| head` would.
  let discarded = 0;
  const demux = new Demuxer((stream, data) => {
    if (!collector.done) return collector.push(stream, data) || true;
    discarded += data.length;
    return discarded <= DRAIN_LIMIT;
  });
  let outcome;
  try {
    outcome = await readStream(response, (chunk) => demux.push(chunk), { signal: extra.signal, deadlineMs: Math.max(0, deadline - Date.now()), label: 'exec' });
  } catch (error) {
    // Cancelled by the client: do not leave the command running behind its back.
    const state = await waitExit(d, created.Id, Date.now()).catch(() => undefined);
    if (state?.Running && d.engine.target.local) killExecProcess(state.Pid, info.Id);
    throw error;
  }
  let state = await waitExit(d, created.Id, outcome.ended === 'end' ? deadline : Date.now());
  const why = outcome.ended === 'deadline' || state.Running ? (outcome.ended === 'stopped' ? 'output' : 'timeout') : undefined;
  let stopped: string | undefined;
  if (state.Running) {
    stopped = d.engine.target.local ? killExecProcess(state.Pid, info.Id) : 'the Engine is not local, so the plugin cannot stop it';
    if (stopped === 'killed') state = await waitExit(d, created.Id, Date.now() + 2000);
  }
  const output = collector.result();
  const ms = Date.now() - started;
  const command = `${JSON.stringify(args.cmd)} in ${name}`;
  const fate = stopped === 'killed' ? ' (the process was killed)' : state.Running ? `; it may still be running in the container (${stopped})` : '';
  const lines: string[] = [];
  if (why === 'timeout') lines.push(`timed out after ${timeoutMs} ms: ${command}${fate}`);
  else if (why === 'output') lines.push(`stopped: ${command} kept writing after the output cap (${Math.round(discarded / 1048576)} MB more discarded)${fate}`);
  else lines.push(`exit code ${state.ExitCode} after ${ms} ms: ${command}`);
  lines.push(`--- stdout (${output.stdoutLines} line${output.stdoutLines === 1 ? '' : 's'}) ---`);
  if (output.stdout) lines.push(output.stdout.replace(/\n$/, ''));
  lines.push(`--- stderr (${output.stderrLines} line${output.stderrLines === 1 ? '' : 's'}) ---`);
  if (output.stderr) lines.push(output.stderr.replace(/\n$/, ''));
  if (output.truncated) lines.push(`truncated: output cut at ${cap} bytes (maxOutputBytes); ${discarded} more bytes were discarded.`);
  const structured = {
    id: info.Id,
    exitCode: why ? null : state.ExitCode,
    timedOut: why === 'timeout',
    ...(why ? { stoppedBecause: why } : {}),
    ...(stopped ? { stopped } : {}),
    durationMs: ms,
    stdout: output.stdout,
    stderr: output.stderr,
    truncated: output.truncated,
    bytes: output.bytes,
    discardedBytes: discarded,
  };
  if (why) return { ...errorResult(lines.join('\n')), structuredContent: structured };
  return textResult(lines.join('\n'), structured);
}

export const execTool: ToolFactory = (d) => ({
  name: 'exec',
  title: 'Run a command in a container',
  description:
    `Runs a command (argv list, no shell unless you call one) in a running container and returns its exit code and output, stdout and stderr apart, at most ${d.config.maxLogBytes} bytes. ` +
    `Stops after timeoutMs (default and most ${d.config.execTimeoutMs}). Destructive: the user is asked to confirm.`,
  inputSchema: {
    type: 'object',
    properties: {
      id: containerIdSchema,
      cmd: { type: 'array', items: { type: 'string', maxLength: 100000 }, minItems: 1, maxItems: 1000, description: 'argv, e.g. ["ls", "-la", "/app"]' },
      timeoutMs: { type: 'integer', minimum: 1, maximum: d.config.execTimeoutMs },
      maxOutputBytes: { type: 'integer', minimum: 1, maximum: d.config.maxLogBytes },
      workingDir: { type: 'string', pattern: '^/', maxLength: 4096 },
      user: { type: 'string', pattern: '^[a-zA-Z0-9_.-]{1,64}(?::[a-zA-Z0-9_.-]{1,64})?$' },
      confirm: confirmSchema,
    },
    required: ['id', 'cmd'],
    additionalProperties: false,
  },
  annotations: DESTRUCTIVE,
  handler: async (args: ExecArgs, extra) => {
    try {
      return await runExec(d, args, extra);
    } catch (error) {
      return d.failure(error);
    }
  },
});
