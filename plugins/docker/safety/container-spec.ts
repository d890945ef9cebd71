/**
 * The container-spec policy: turns create/run arguments into the Engine's create body, refusing anything
 * that would reach the host, and adding what every container gets: published ports on publishAddress,
 * memory/CPU/PID limits, no-new-privileges, and the labels that mark it as this instance's.
 * Pure: no Engine call happens here, so a refusal never leaves anything behind.
 */
import type { DockerConfig } from '../config.js';
import { Refusal } from '../engine/errors.js';
import type { BindRules } from './bind-paths.js';
import { checkHostConfig, checkMounts, type PolicyContext } from './host-config.js';
import { LABEL_PREFIX, managedLabels } from './managed.js';
import { checkImageAllowed } from './refs.js';

export interface PortArg {
  container: number;
  host?: number;
  protocol?: 'tcp' | 'udp' | 'sctp';
  hostIp?: string;
}

export interface MountArg {
  type: 'bind' | 'volume' | 'tmpfs';
  source?: string;
  target: string;
  readOnly?: boolean;
  driver?: string;
  driverOptions?: Record<string, string>;
}

export interface CreateArgs {
  image: string;
  name?: string;
  cmd?: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  workingDir?: string;
  user?: string;
  labels?: Record<string, string>;
  ports?: PortArg[];
  mounts?: MountArg[];
  limits?: { memoryMb?: number; cpus?: number; pids?: number };
  network?: string;
  restart?: 'no' | 'on-failure' | 'unless-stopped' | 'always';
  hostConfig?: Record<string, unknown>;
}

export interface CreateSpec {
  body: Record<string, unknown>;
  name?: string;
  /** Named volumes the container would use (checked on the Engine before creating). */
  volumes: string[];
}

function mountOf(arg: MountArg): Record<string, unknown> {
  const mount: Record<string, unknown> = { Type: arg.type, Target: arg.target, ReadOnly: arg.readOnly === true };
  if (arg.source !== undefined) mount.Source = arg.source;
  if (arg.type === 'volume' && (arg.driver !== undefined || arg.driverOptions !== undefined)) {
    mount.VolumeOptions = { DriverConfig: { Name: arg.driver ?? 'local', Options: arg.driverOptions ?? {} } };
  }
  return mount;
}

function limitsOf(args: CreateArgs, config: DockerConfig, problems: string[]): { Memory: number; NanoCpus: number; PidsLimit: number } {
  const pick = (key: 'memoryMb' | 'cpus' | 'pids'): number => {
    const max = config.maxLimits[key];
    const asked = args.limits?.[key];
    if (asked !== undefined && asked > max) problems.push(`limits.${key}: ${asked} is above maxLimits.${key} (${max})`);
    return Math.min(asked ?? config.defaultLimits[key], max);
  };
  return { Memory: Math.round(pick('memoryMb') * 1024 * 1024), NanoCpus: Math.round(pick('cpus') * 1e9), PidsLimit: pick('pids') };
}

function portsOf(args: CreateArgs, hostConfig: Record<string, unknown>, config: DockerConfig, problems: string[]) {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const [port, list] of Object.entries((hostConfig.PortBindings as Record<string, unknown> | undefined) ?? {})) {
    const key = port.includes('/') ? port : `${port}/tcp`;
    exposed[key] = {};
    for (const b of Array.isArray(list) ? list : []) {
      const hostPort = (b as { HostPort?: unknown })?.HostPort;
      (bindings[key] ??= []).push({ HostIp: config.publishAddress, HostPort: typeof hostPort === 'string' || typeof hostPort === 'number' ? String(hostPort) : '' });
    }
    bindings[key] ??= [{ HostIp: config.publishAddress, HostPort: '' }];
  }
  for (const [i, p] of (args.ports ?? []).entries()) {
    if (p.hostIp !== undefined && p.hostIp !== config.publishAddress) {
      problems.push(`ports[${i}].hostIp: published ports bind to ${config.publishAddress} (publishAddress), not ${p.hostIp}`);
    }
    const key = `${p.container}/${p.protocol ?? 'tcp'}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: config.publishAddress, HostPort: p.host === undefined ? '' : String(p.host) });
  }
  return { exposed, bindings };
}

/** The Engine create body for `args`, or a Refusal listing every problem. */
export function buildCreateSpec(args: CreateArgs, config: DockerConfig, instanceId: string, rules: BindRules): CreateSpec {
  const ctx: PolicyContext = { rules, publishAddress: config.publishAddress, volumes: new Set(), problems: [] };
  try {
    checkImageAllowed(args.image, config.allowedImages);
  } catch (error) {
    ctx.problems.push((error as Error).message);
  }
  const hostConfig = { ...(args.hostConfig ?? {}) };
  if (args.network !== undefined) {
    if (hostConfig.NetworkMode !== undefined && hostConfig.NetworkMode !== args.network) ctx.problems.push('network and hostConfig.NetworkMode disagree');
    // The argument is a shorthand: it goes through the same check as HostConfig.NetworkMode.
    hostConfig.NetworkMode = args.network;
  }
  if (args.restart !== undefined) hostConfig.RestartPolicy = { Name: args.restart === 'no' ? '' : args.restart };
  checkHostConfig(hostConfig, ctx);
  const mounts = (args.mounts ?? []).map(mountOf);
  checkMounts(mounts, 'mounts', ctx);
  for (const key of Object.keys(args.labels ?? {})) {
    if (key.startsWith(LABEL_PREFIX)) ctx.problems.push(`labels: "${key}" is reserved for the host's own labels`);
  }
  const limits = limitsOf(args, config, ctx.problems);
  const { exposed, bindings } = portsOf(args, hostConfig, config, ctx.problems);
  if (ctx.problems.length > 0) throw new Refusal(`refused by the container policy: ${ctx.problems.join('; ')}`);

  const securityOpt = ((hostConfig.SecurityOpt as string[] | undefined) ?? []).filter((o) => !/^no-new-privileges/i.test(o));
  const finalHostConfig: Record<string, unknown> = {
    ...hostConfig,
    ...limits,
    Mounts: [...((hostConfig.Mounts as unknown[] | undefined) ?? []), ...mounts],
    PortBindings: bindings,
    PublishAllPorts: false,
    Privileged: false,
    SecurityOpt: [...securityOpt, 'no-new-privileges:true'],
  };
  const body: Record<string, unknown> = {
    Image: args.image,
    Labels: { ...(args.labels ?? {}), ...managedLabels(instanceId) },
    ExposedPorts: exposed,
    HostConfig: finalHostConfig,
  };
  if (args.cmd) body.Cmd = args.cmd;
  if (args.entrypoint) body.Entrypoint = args.entrypoint;
  if (args.env) body.Env = Object.entries(args.env).map(([k, v]) => `${k}=${v}`);
  if (args.workingDir !== undefined) body.WorkingDir = args.workingDir;
  if (args.user !== undefined) body.User = args.user;
  return { body, name: args.name, volumes: [...ctx.volumes] };
}
