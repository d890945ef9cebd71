/**
 * The HostConfig a caller may pass through, key by key. Anything not listed here is refused, so a new
 * Engine option is closed until someone decides it is safe. Each refusal says which key and why.
 */
import type { BindRules } from './bind-paths.js';
import { bindProblem, mentionsEngineSocket } from './bind-paths.js';

export interface PolicyContext {
  rules: BindRules;
  publishAddress: string;
  /** Named volumes the spec uses; the Engine-side check looks at how each was created. */
  volumes: Set<string>;
  problems: string[];
}

type Check = (value: unknown, key: string, ctx: PolicyContext) => void;

const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

function empty(value: unknown): boolean {
  return value === undefined || value === null || value === false || value === '' || (Array.isArray(value) && value.length === 0);
}

const mustBeEmpty = (why: string): Check => (value, key, ctx) => {
  if (!empty(value)) ctx.problems.push(`HostConfig.${key}: ${why}`);
};

const anything: Check = () => {};

const arrayOfStrings: Check = (value, key, ctx) => {
  if (value !== null && (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))) ctx.problems.push(`HostConfig.${key}: must be a list of strings`);
};

/** host and container:<id> modes join a namespace the container should not share. */
const namespace = (what: string, allowed: string[]): Check => (value, key, ctx) => {
  if (value === undefined || value === null || value === '') return;
  if (typeof value !== 'string') return void ctx.problems.push(`HostConfig.${key}: must be a string`);
  if (value === 'host') return void ctx.problems.push(`HostConfig.${key}: the host ${what} namespace is not allowed`);
  if (value.startsWith('container:')) return void ctx.problems.push(`HostConfig.${key}: joining another container's ${what} namespace is not allowed`);
  if (!allowed.includes(value)) ctx.problems.push(`HostConfig.${key}: "${value}" is not allowed (use ${allowed.filter(Boolean).join(', ') || 'the default'})`);
};

const networkMode: Check = (value, key, ctx) => {
  if (value === undefined || value === null || value === '') return;
  if (typeof value !== 'string') return void ctx.problems.push(`HostConfig.${key}: must be a string`);
  if (value === 'host') return void ctx.problems.push(`HostConfig.${key}: the host network namespace is not allowed`);
  if (value.startsWith('container:')) return void ctx.problems.push(`HostConfig.${key}: joining another container's network namespace is not allowed`);
  if (!NETWORK_NAME.test(value)) ctx.problems.push(`HostConfig.${key}: "${value}" is not a network name`);
};

const UNCONFINED = /^(seccomp|apparmor|systempaths)[=:]unconfined$/i;

const securityOpt: Check = (value, key, ctx) => {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value)) return void ctx.problems.push(`HostConfig.${key}: must be a list of strings`);
  for (const raw of value) {
    const opt = typeof raw === 'string' ? raw.trim() : '';
    if (UNCONFINED.test(opt)) ctx.problems.push(`HostConfig.${key}: "${opt}" removes a confinement layer and is not allowed`);
    else if (/^seccomp[=:]/i.test(opt)) ctx.problems.push(`HostConfig.${key}: custom seccomp profiles are not allowed (the Engine's default applies)`);
    else if (/^label[=:]disable$/i.test(opt)) ctx.problems.push(`HostConfig.${key}: "${opt}" turns off SELinux separation and is not allowed`);
    else if (/^no-new-privileges(?:[=:](?:false|0))$/i.test(opt)) ctx.problems.push(`HostConfig.${key}: no-new-privileges is always on`);
    else if (/^no-new-privileges(?:[=:](?:true|1))?$/i.test(opt)) continue;
    else if (/^apparmor[=:][\w.-]+$/i.test(opt)) continue;
    else if (/^label[=:](?:user|role|type|level):[\w.:-]+$/i.test(opt)) continue;
    else ctx.problems.push(`HostConfig.${key}: "${String(raw)}" is not allowed`);
  }
};

/** "src:dst[:opts]" strings: absolute sources are binds, others named volumes. */
const binds: Check = (value, key, ctx) => {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value)) return void ctx.problems.push(`HostConfig.${key}: must be a list of "source:target[:options]" strings`);
  value.forEach((raw, i) => {
    const where = `HostConfig.${key}[${i}]`;
    if (typeof raw !== 'string') return void ctx.problems.push(`${where}: must be a string`);
    const [source, target, options, ...extra] = raw.split(':');
    if (!target || extra.length > 0) return void ctx.problems.push(`${where}: expected "source:target[:options]"`);
    if (mentionsEngineSocket(target)) ctx.problems.push(`${where}: mounting anything at the Docker Engine socket path (${target}) is not allowed`);
    if (options && /(?:^|,)r?shared(?:,|$)/.test(options)) ctx.problems.push(`${where}: shared mount propagation would let the container mount onto the host`);
    if (source.startsWith('/')) {
      const problem = bindProblem(source, where, ctx.rules);
      if (problem) ctx.problems.push(problem);
    } else if (VOLUME_NAME.test(source)) ctx.volumes.add(source);
    else ctx.problems.push(`${where}: "${source}" is neither an absolute host path nor a volume name`);
  });
};

/** The local driver's type/o/device options: tmpfs is fine, a bind is a bind mount, a device or network share is refused. */
export function checkVolumeDriver(driver: unknown, options: unknown, where: string, ctx: PolicyContext): void {
  if (driver !== undefined && driver !== null && driver !== '' && driver !== 'local') {
    ctx.problems.push(`${where}: volume driver "${String(driver)}" is not allowed (only local)`);
    return;
  }
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) return void ctx.problems.push(`${where}: driver options must be an object`);
  const { type, o, device, ...rest } = options as Record<string, unknown>;
  if (Object.keys(rest).length > 0) ctx.problems.push(`${where}: driver options ${Object.keys(rest).join(', ')} are not allowed`);
  if (device === undefined) return;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  if (text(type) === 'tmpfs' && text(device) === 'tmpfs') return;
  if (text(type) === 'none' || /(?:^|,)r?bind(?:,|$)/.test(text(o))) {
    const problem = bindProblem(text(device), `${where} (bind via driver options)`, ctx.rules);
    if (problem) ctx.problems.push(problem);
    if (/(?:^|,)r?shared(?:,|$)/.test(text(o))) ctx.problems.push(`${where}: shared mount propagation is not allowed`);
    return;
  }
  ctx.problems.push(`${where}: driver options that mount a device or a network share (type "${text(type)}", device "${text(device)}") are not allowed`);
}

/** HostConfig.Mounts entries (also what the `mounts` argument becomes). */
export function checkMounts(value: unknown, where: string, ctx: PolicyContext): void {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value)) return void ctx.problems.push(`${where}: must be a list of mounts`);
  value.forEach((raw, i) => {
    const at = `${where}[${i}]`;
    if (!raw || typeof raw !== 'object') return void ctx.problems.push(`${at}: must be an object`);
    const mount = raw as Record<string, unknown>;
    const target = typeof mount.Target === 'string' ? mount.Target : '';
    if (!target.startsWith('/')) ctx.problems.push(`${at}: Target must be an absolute path in the container`);
    if (mentionsEngineSocket(target)) ctx.problems.push(`${at}: mounting anything at the Docker Engine socket path (${target}) is not allowed`);
    const source = typeof mount.Source === 'string' ? mount.Source : '';
    switch (mount.Type) {
      case 'bind': {
        const problem = bindProblem(source, at, ctx.rules);
        if (problem) ctx.problems.push(problem);
        const propagation = (mount.BindOptions as { Propagation?: unknown } | undefined)?.Propagation;
        if (propagation === 'shared' || propagation === 'rshared') ctx.problems.push(`${at}: shared mount propagation would let the container mount onto the host`);
        break;
      }
      case 'volume': {
        if (source && !VOLUME_NAME.test(source)) ctx.problems.push(`${at}: "${source}" is not a volume name`);
        else if (source) ctx.volumes.add(source);
        if (mentionsEngineSocket(source)) ctx.problems.push(`${at}: mounting the Docker Engine socket would hand over the host`);
        const config = (mount.VolumeOptions as { DriverConfig?: { Name?: unknown; Options?: unknown } } | undefined)?.DriverConfig;
        if (config) checkVolumeDriver(config.Name, config.Options, `${at}.VolumeOptions.DriverConfig`, ctx);
        break;
      }
      case 'tmpfs':
        if (source) ctx.problems.push(`${at}: a tmpfs mount has no Source`);
        break;
      default:
        ctx.problems.push(`${at}: mount type ${JSON.stringify(mount.Type)} is not allowed (bind, volume or tmpfs)`);
    }
  });
}

const portBindings: Check = (value, key, ctx) => {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value)) return void ctx.problems.push(`HostConfig.${key}: must be an object`);
  for (const [port, list] of Object.entries(value as Record<string, unknown>)) {
    if (!/^\d{1,5}(?:\/(?:tcp|udp|sctp))?$/.test(port)) ctx.problems.push(`HostConfig.${key}: "${port}" is not a port`);
    for (const binding of Array.isArray(list) ? list : []) {
      const hostIp = (binding as { HostIp?: unknown })?.HostIp;
      if (hostIp !== undefined && hostIp !== '' && hostIp !== ctx.publishAddress) {
        ctx.problems.push(`HostConfig.${key}["${port}"]: published ports bind to ${ctx.publishAddress} (publishAddress), not ${String(hostIp)}`);
      }
    }
  }
};

const logConfig: Check = (value, key, ctx) => {
  const type = (value as { Type?: unknown } | null)?.Type;
  if (value !== null && value !== undefined && type !== undefined && type !== '' && type !== 'json-file' && type !== 'local') {
    ctx.problems.push(`HostConfig.${key}: log driver "${String(type)}" is not allowed (json-file or local, so logs stay readable here)`);
  }
};

const limitsElsewhere: Check = (value, key, ctx) => {
  if (value !== undefined && value !== null) ctx.problems.push(`HostConfig.${key}: set memory, CPU and PID limits through the limits argument`);
};

const nonNegative: Check = (value, key, ctx) => {
  if (value !== undefined && value !== null && (typeof value !== 'number' || value < 0)) ctx.problems.push(`HostConfig.${key}: must be a number >= 0`);
};

export const HOST_CONFIG_CHECKS: Record<string, Check> = {
  Binds: binds,
  Mounts: (value, key, ctx) => checkMounts(value, `HostConfig.${key}`, ctx),
  PortBindings: portBindings,
  PublishAllPorts: mustBeEmpty('publishing every port binds them on all host interfaces; use ports'),
  NetworkMode: networkMode,
  PidMode: namespace('pid', ['']),
  IpcMode: namespace('ipc', ['', 'private', 'shareable', 'none']),
  UTSMode: namespace('uts', ['']),
  UsernsMode: namespace('user', ['']),
  CgroupnsMode: namespace('cgroup', ['', 'private']),
  Privileged: mustBeEmpty('privileged mode gives the container the whole host'),
  CapAdd: mustBeEmpty('adding capabilities is not allowed'),
  CapDrop: arrayOfStrings,
  Devices: mustBeEmpty('host devices are not allowed'),
  DeviceRequests: mustBeEmpty('device requests (GPUs) are not allowed'),
  DeviceCgroupRules: mustBeEmpty('device cgroup rules are not allowed'),
  SecurityOpt: securityOpt,
  VolumesFrom: mustBeEmpty("mounting another container's volumes is not allowed"),
  VolumeDriver: (value, key, ctx) => checkVolumeDriver(value, undefined, `HostConfig.${key}`, ctx),
  CgroupParent: mustBeEmpty('a custom cgroup parent is not allowed'),
  Runtime: mustBeEmpty('a custom runtime is not allowed'),
  MaskedPaths: mustBeEmpty('changing the masked /proc paths is not allowed'),
  ReadonlyPaths: mustBeEmpty('changing the read-only /proc paths is not allowed'),
  OomKillDisable: mustBeEmpty('disabling the OOM killer is not allowed'),
  Isolation: mustBeEmpty('a custom isolation is not allowed'),
  StorageOpt: mustBeEmpty('storage options are not allowed'),
  Memory: limitsElsewhere,
  MemorySwap: limitsElsewhere,
  MemoryReservation: limitsElsewhere,
  NanoCpus: limitsElsewhere,
  CpuQuota: limitsElsewhere,
  CpuPeriod: limitsElsewhere,
  PidsLimit: limitsElsewhere,
  OomScoreAdj: nonNegative,
  CpuShares: nonNegative,
  ShmSize: nonNegative,
  LogConfig: logConfig,
  RestartPolicy: anything,
  AutoRemove: anything,
  Tmpfs: anything,
  ExtraHosts: arrayOfStrings,
  Dns: arrayOfStrings,
  DnsOptions: arrayOfStrings,
  DnsSearch: arrayOfStrings,
  GroupAdd: arrayOfStrings,
  Links: mustBeEmpty("links expose another container's environment; use a network"),
  Init: anything,
  ReadonlyRootfs: anything,
  Ulimits: anything,
  Sysctls: anything,
  ConsoleSize: anything,
};

/** Checks a caller's HostConfig; problems go to ctx.problems. */
export function checkHostConfig(hostConfig: Record<string, unknown>, ctx: PolicyContext): void {
  for (const [key, value] of Object.entries(hostConfig)) {
    const check = HOST_CONFIG_CHECKS[key];
    if (!check) ctx.problems.push(`HostConfig.${key}: not allowed by the container policy`);
    else check(value, key, ctx);
  }
}
