/**
 * diagnose_container: gathers a container's state (exit code, OOM, restarts, health), its recent logs
 * and, when it runs, its resource use into one ready prompt, with container names completed.
 */
import type { DockerInstance } from './instance.js';
import { containerName } from './instance.js';
import { readLogs } from './logs/read-logs.js';
import { redactArgs } from './safety/redact.js';
import { CONTAINER_ID_PATTERN } from './safety/refs.js';
import { completeContainer } from './resources/container-resources.js';
import { readStats, renderStats } from './stats/compute.js';

const PROMPT_LOG_LINES = 50;
const PROMPT_LOG_BYTES = 16 * 1024;
const ID = new RegExp(CONTAINER_ID_PATTERN);

export function registerPrompts(d: DockerInstance): void {
  d.ctx.prompts.register({
    name: 'diagnose_container',
    title: 'Diagnose a container',
    description: 'Collects a container\'s state, exit code, restarts, health, recent logs and resource use, and asks the model what is wrong and how to fix it.',
    arguments: [{ name: 'id', description: 'Container name or id', required: true }],
    get: async ({ id }, extra) => {
      if (!id || !ID.test(id)) throw new Error(`"${id ?? ''}" is not a container id or name`);
      const info = await d.inspect(id, extra.signal);
      const s = info.State;
      const name = containerName(info);
      const facts = [
        `container: ${name} (${info.Id.slice(0, 12)}), image ${info.Config.Image}`,
        `command: ${JSON.stringify(redactArgs(info.Config.Cmd ?? []))}`,
        `state: ${s.Status}${s.Running ? ` since ${s.StartedAt}` : `, exit code ${s.ExitCode}, finished ${s.FinishedAt}`}`,
        `OOM killed: ${s.OOMKilled ? 'yes' : 'no'}; restarts: ${info.RestartCount ?? 0}${s.Error ? `; error: ${s.Error}` : ''}`,
      ];
      if (s.Health) {
        const lastCheck = s.Health.Log?.at(-1);
        facts.push(`health: ${s.Health.Status} (failing streak ${s.Health.FailingStreak})${lastCheck ? `; last check exit ${lastCheck.ExitCode}: ${lastCheck.Output.trim().slice(0, 500)}` : ''}`);
      }
      const memory = (info.HostConfig as { Memory?: number }).Memory;
      if (memory) facts.push(`memory limit: ${Math.round(memory / 1048576)} MB`);
      let logs: string;
      try {
        const r = await readLogs(d, info.Id, { tail: PROMPT_LOG_LINES }, PROMPT_LOG_BYTES, extra.signal, info);
        logs = [`stdout:\n${r.stdout.trimEnd() || '(empty)'}`, ...(r.tty ? [] : [`stderr:\n${r.stderr.trimEnd() || '(empty)'}`]), ...(r.hint ? [r.hint] : [])].join('\n\n');
      } catch (error) {
        logs = `(logs not readable: ${(error as Error).message})`;
      }
      let usage = '';
      if (s.Running) {
        try {
          usage = `\n\nResource use:\n${renderStats(await readStats(d, info.Id, extra.signal))}`;
        } catch (error) {
          usage = `\n\nResource use: not readable (${(error as Error).message})`;
        }
      }
      const text =
        `Diagnose this Docker container and say what is wrong (if anything), the most likely cause, and how to fix it.\n\n` +
        `${facts.join('\n')}\n\nLast ${PROMPT_LOG_LINES} log lines:\n${logs}${usage}\n\n` +
        `You can look further with ${d.toolName('container_logs')} (tail/since/grep), ${d.toolName('inspect_container')} and ${d.toolName('events')}.`;
      return { description: `Diagnosis of ${name}`, messages: [{ role: 'user', content: { type: 'text', text } }] };
    },
    complete: (argument, value) => (argument === 'id' ? completeContainer(d, value) : []),
  });
}
