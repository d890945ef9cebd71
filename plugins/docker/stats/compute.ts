/**
 * Figures from the Engine's raw stats blob, computed the way `docker stats` does: CPU % over the
 * sample interval (scaled by online CPUs), memory used without the page cache, network and block I/O
 * totals, PIDs. Works for cgroup v1 and v2.
 */
import { seg } from '../engine/engine.js';
import { formatBytes } from '../format/result.js';
import type { ContainerInspect, DockerInstance } from '../instance.js';
import { containerName } from '../instance.js';

interface RawStats {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null };
  pids_stats?: { current?: number; limit?: number };
}

export interface ComputedStats {
  id: string;
  name: string;
  running: boolean;
  read?: string;
  cpuPercent: number;
  onlineCpus: number;
  memory: { usedBytes: number; limitBytes: number; percent: number };
  network: { rxBytes: number; txBytes: number };
  blockIo: { readBytes: number; writeBytes: number };
  pids: { current: number; limit?: number };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function computeStats(raw: RawStats, info: Pick<ContainerInspect, 'Id' | 'Name' | 'State'>): ComputedStats {
  const cpu = raw.cpu_stats ?? {};
  const pre = raw.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const onlineCpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
  const cpuPercent = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * onlineCpus * 100 : 0;
  const mem = raw.memory_stats ?? {};
  const detail = mem.stats ?? {};
  // cgroup v1: total_inactive_file (or cache); v2: inactive_file. docker stats subtracts the same.
  const cache = detail.total_inactive_file ?? detail.inactive_file ?? detail.cache ?? 0;
  const used = Math.max(0, (mem.usage ?? 0) - (cache < (mem.usage ?? 0) ? cache : 0));
  const limit = mem.limit ?? 0;
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(raw.networks ?? {})) {
    rx += n.rx_bytes ?? 0;
    tx += n.tx_bytes ?? 0;
  }
  let readBytes = 0;
  let writeBytes = 0;
  for (const entry of raw.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = String(entry.op ?? '').toLowerCase();
    if (op === 'read') readBytes += entry.value ?? 0;
    else if (op === 'write') writeBytes += entry.value ?? 0;
  }
  return {
    id: info.Id,
    name: containerName(info),
    running: info.State.Running,
    ...(raw.read && !raw.read.startsWith('0001') ? { read: raw.read } : {}),
    cpuPercent: round(cpuPercent),
    onlineCpus,
    memory: { usedBytes: used, limitBytes: limit, percent: limit > 0 ? round((used / limit) * 100) : 0 },
    network: { rxBytes: rx, txBytes: tx },
    blockIo: { readBytes, writeBytes },
    pids: { current: raw.pids_stats?.current ?? 0, ...(raw.pids_stats?.limit ? { limit: raw.pids_stats.limit } : {}) },
  };
}

/** One sample over about a second (the Engine waits for a second reading to compute CPU use). */
export async function readStats(d: DockerInstance, id: string, signal?: AbortSignal): Promise<ComputedStats> {
  const info = await d.inspect(id, signal);
  const raw = await d.engine.call<RawStats>({ method: 'GET', path: `/containers/${seg(info.Id)}/stats`, query: { stream: false } }, signal);
  return computeStats(raw, info);
}

export function renderStats(s: ComputedStats): string {
  if (!s.running) return `${s.name} (${s.id.slice(0, 12)}) is not running: no live figures.`;
  return [
    `${s.name} (${s.id.slice(0, 12)})`,
    `CPU ${s.cpuPercent}% (of ${s.onlineCpus} CPU${s.onlineCpus === 1 ? '' : 's'} = ${s.onlineCpus * 100}%)`,
    `memory ${formatBytes(s.memory.usedBytes)} / ${formatBytes(s.memory.limitBytes)} (${s.memory.percent}%)`,
    `network rx ${formatBytes(s.network.rxBytes)} / tx ${formatBytes(s.network.txBytes)}`,
    `block I/O read ${formatBytes(s.blockIo.readBytes)} / write ${formatBytes(s.blockIo.writeBytes)}`,
    `PIDs ${s.pids.current}${s.pids.limit ? ` / ${s.pids.limit}` : ''}`,
  ].join('\n');
}
