/** list_networks, list_volumes and system_info. */
import { formatBytes, table, textResult } from '../format/result.js';
import { redactDeep } from '../safety/redact.js';
import { READ_ONLY, type ToolFactory } from './annotations.js';

const empty = { type: 'object', properties: {}, additionalProperties: false } as const;

interface Network {
  Name: string;
  Id: string;
  Driver: string;
  Scope: string;
  Internal: boolean;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] | null };
}

export const listNetworks: ToolFactory = (d) => ({
  name: 'list_networks',
  title: 'List networks',
  description: 'Lists Docker networks with driver, scope, subnets and whether they are internal.',
  inputSchema: empty,
  annotations: READ_ONLY,
  handler: async (_args, extra) => {
    try {
      const list = await d.engine.call<Network[]>({ method: 'GET', path: '/networks' }, extra.signal);
      const networks = list.map((n) => ({
        id: n.Id.slice(0, 12),
        name: n.Name,
        driver: n.Driver,
        scope: n.Scope,
        internal: n.Internal,
        subnets: (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter(Boolean) as string[],
      }));
      const text = table(['ID', 'NAME', 'DRIVER', 'SCOPE', 'SUBNETS', 'INTERNAL'], networks.map((n) => [n.id, n.name, n.driver, n.scope, n.subnets.join(', '), n.internal ? 'yes' : 'no']));
      return textResult(`${text}\n(${networks.length} network${networks.length === 1 ? '' : 's'})`, { networks });
    } catch (error) {
      return d.failure(error);
    }
  },
});

interface Volume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Labels: Record<string, string> | null;
  Options: Record<string, string> | null;
  Scope: string;
}

export const listVolumes: ToolFactory = (d) => ({
  name: 'list_volumes',
  title: 'List volumes',
  description: 'Lists Docker volumes with driver, mount point, labels and driver options (secret-looking values redacted).',
  inputSchema: empty,
  annotations: READ_ONLY,
  handler: async (_args, extra) => {
    try {
      const answer = await d.engine.call<{ Volumes: Volume[] | null }>({ method: 'GET', path: '/volumes' }, extra.signal);
      const volumes = (answer.Volumes ?? []).map((v) => ({
        name: v.Name,
        driver: v.Driver,
        mountpoint: v.Mountpoint,
        created: v.CreatedAt,
        labels: redactDeep(v.Labels ?? {}, 'Labels') as Record<string, string>,
        options: redactDeep(v.Options ?? {}) as Record<string, string>,
      }));
      const text = table(['NAME', 'DRIVER', 'MOUNTPOINT', 'OPTIONS'], volumes.map((v) => [v.name, v.driver, v.mountpoint, Object.entries(v.options).map(([k, val]) => `${k}=${val}`).join(',')]));
      return textResult(`${text}\n(${volumes.length} volume${volumes.length === 1 ? '' : 's'})`, { volumes });
    } catch (error) {
      return d.failure(error);
    }
  },
});

export const systemInfo: ToolFactory = (d) => ({
  name: 'system_info',
  title: 'Docker Engine information',
  description: 'Engine version and API version, OS and kernel, CPUs and memory, container and image counts, storage and cgroup drivers, security options.',
  inputSchema: empty,
  annotations: READ_ONLY,
  handler: async (_args, extra) => {
    try {
      const [info, version] = await Promise.all([
        d.engine.call<Record<string, any>>({ method: 'GET', path: '/info' }, extra.signal),
        d.engine.call<Record<string, any>>({ method: 'GET', path: '/version' }, extra.signal),
      ]);
      const summary = {
        engine: d.engine.target.label,
        serverVersion: info.ServerVersion,
        apiVersion: version.ApiVersion,
        os: info.OperatingSystem,
        osType: info.OSType,
        architecture: info.Architecture,
        kernel: info.KernelVersion,
        cpus: info.NCPU,
        memoryBytes: info.MemTotal,
        containers: { total: info.Containers, running: info.ContainersRunning, paused: info.ContainersPaused, stopped: info.ContainersStopped },
        images: info.Images,
        storageDriver: info.Driver,
        loggingDriver: info.LoggingDriver,
        cgroupDriver: info.CgroupDriver,
        cgroupVersion: info.CgroupVersion,
        securityOptions: info.SecurityOptions,
        rootless: Array.isArray(info.SecurityOptions) && info.SecurityOptions.some((o: string) => o.includes('rootless')),
        name: info.Name,
      };
      const text = [
        `Docker Engine ${summary.serverVersion} (API ${summary.apiVersion}) at ${summary.engine}`,
        `${summary.os} (${summary.osType}/${summary.architecture}), kernel ${summary.kernel}`,
        `${summary.cpus} CPUs, ${formatBytes(summary.memoryBytes)} memory`,
        `containers: ${summary.containers.total} (${summary.containers.running} running, ${summary.containers.paused} paused, ${summary.containers.stopped} stopped); images: ${summary.images}`,
        `storage driver ${summary.storageDriver}, logging driver ${summary.loggingDriver}, cgroup ${summary.cgroupDriver} v${summary.cgroupVersion}`,
        `security: ${(summary.securityOptions ?? []).join(', ') || '-'}`,
      ].join('\n');
      return textResult(text, redactDeep(summary) as Record<string, unknown>);
    } catch (error) {
      return d.failure(error);
    }
  },
});
