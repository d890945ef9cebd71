/**
 * create_container and run_container: the arguments go through the container-spec policy (no Engine
 * call before it passed), named volumes are checked for how they were made, then the container is
 * created labelled as this instance's, and for run started.
 */
import type { RequestExtra } from '../../../core/api/index.js';
import { seg } from '../engine/engine.js';
import { EngineError, Refusal } from '../engine/errors.js';
import { textResult } from '../format/result.js';
import { containerName, type DockerInstance } from '../instance.js';
import { buildCreateSpec, type CreateArgs } from '../safety/container-spec.js';
import { checkVolumeDriver, type PolicyContext } from '../safety/host-config.js';
import { imageRefSchema } from '../safety/refs.js';
import { OPERATE_REPEATING, type ToolFactory } from './annotations.js';

const strings = (maxItems: number, maxLength: number) => ({ type: 'array', items: { type: 'string', maxLength }, maxItems });

function createSchema(d: DockerInstance) {
  const { maxLimits } = d.config;
  return {
    type: 'object',
    properties: {
      image: imageRefSchema,
      name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$', description: 'Container name' },
      cmd: { ...strings(1000, 100000), description: 'Command (overrides the image CMD)' },
      entrypoint: { ...strings(100, 100000), description: 'Entrypoint (overrides the image ENTRYPOINT)' },
      env: {
        type: 'object',
        propertyNames: { pattern: '^[^=\\u0000]{1,256}$' },
        additionalProperties: { type: 'string', maxLength: 100000 },
        maxProperties: 500,
        description: 'Environment variables {NAME: value}',
      },
      workingDir: { type: 'string', pattern: '^/', maxLength: 4096 },
      user: { type: 'string', pattern: '^[a-zA-Z0-9_.-]{1,64}(?::[a-zA-Z0-9_.-]{1,64})?$', description: 'user[:group] inside the container' },
      labels: { type: 'object', propertyNames: { maxLength: 256 }, additionalProperties: { type: 'string', maxLength: 4096 }, maxProperties: 200 },
      ports: {
        type: 'array',
        maxItems: 100,
        description: `Published ports; they bind to ${d.config.publishAddress} (host port: random when not given)`,
        items: {
          type: 'object',
          properties: {
            container: { type: 'integer', minimum: 1, maximum: 65535 },
            host: { type: 'integer', minimum: 1, maximum: 65535 },
            protocol: { enum: ['tcp', 'udp', 'sctp'] },
            hostIp: { type: 'string', maxLength: 64 },
          },
          required: ['container'],
          additionalProperties: false,
        },
      },
      mounts: {
        type: 'array',
        maxItems: 50,
        description: `Mounts: tmpfs, named volumes, and bind mounts from inside ${d.config.allowedBindRoots.length ? d.config.allowedBindRoots.join(', ') : '(no folder: allowedBindRoots is empty)'}`,
        items: {
          type: 'object',
          properties: {
            type: { enum: ['bind', 'volume', 'tmpfs'] },
            source: { type: 'string', maxLength: 4096 },
            target: { type: 'string', minLength: 1, maxLength: 4096 },
            readOnly: { type: 'boolean' },
            driver: { type: 'string', maxLength: 256 },
            driverOptions: { type: 'object', additionalProperties: { type: 'string', maxLength: 4096 }, maxProperties: 20 },
          },
          required: ['type', 'target'],
          additionalProperties: false,
        },
      },
      limits: {
        type: 'object',
        description: `Default ${d.config.defaultLimits.memoryMb} MB, ${d.config.defaultLimits.cpus} CPU, ${d.config.defaultLimits.pids} PIDs; at most ${maxLimits.memoryMb} MB, ${maxLimits.cpus} CPUs, ${maxLimits.pids} PIDs`,
        properties: {
          memoryMb: { type: 'integer', minimum: 6 },
          cpus: { type: 'number', exclusiveMinimum: 0 },
          pids: { type: 'integer', minimum: 1 },
        },
        additionalProperties: false,
      },
      network: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$', description: 'Network to join (bridge, none, or a user network)' },
      restart: { enum: ['no', 'on-failure', 'unless-stopped', 'always'] },
      hostConfig: {
        type: 'object',
        description:
          'Advanced Engine HostConfig fields (RestartPolicy, Tmpfs, ExtraHosts, Dns, CapDrop, Init, ReadonlyRootfs, Ulimits, Sysctls, ...). ' +
          'Refused: Privileged, CapAdd, host or container namespaces, Devices, unconfined SecurityOpt, docker.sock, binds outside allowedBindRoots, VolumesFrom, Links.',
      },
    },
    required: ['image'],
    additionalProperties: false,
  };
}

/** Named volumes that exist already: refused when made with a non-local driver or bind options outside the rules. */
async function checkExistingVolumes(d: DockerInstance, names: string[], signal: AbortSignal): Promise<void> {
  const ctx: PolicyContext = { rules: d.rules, publishAddress: d.config.publishAddress, volumes: new Set(), problems: [] };
  for (const name of names) {
    let volume: { Driver?: string; Options?: Record<string, string> | null };
    try {
      volume = await d.engine.call({ method: 'GET', path: `/volumes/${seg(name)}` }, signal);
    } catch (error) {
      if (error instanceof EngineError && error.statusCode === 404) continue; // created fresh by the Engine, local driver
      throw error;
    }
    checkVolumeDriver(volume.Driver, volume.Options ?? undefined, `volume "${name}"`, ctx);
  }
  if (ctx.problems.length > 0) throw new Refusal(`refused by the container policy: ${ctx.problems.join('; ')}`);
}

async function create(d: DockerInstance, args: CreateArgs, extra: RequestExtra): Promise<{ id: string; warnings: string[] }> {
  const spec = buildCreateSpec(args, d.config, d.instanceId, d.rules);
  await checkExistingVolumes(d, spec.volumes, extra.signal);
  try {
    const created = await d.engine.call<{ Id: string; Warnings?: string[] | null }>(
      { method: 'POST', path: '/containers/create', query: { name: spec.name }, body: spec.body },
      extra.signal,
    );
    return { id: created.Id, warnings: created.Warnings ?? [] };
  } catch (error) {
    if (error instanceof EngineError && error.statusCode === 404 && /image/i.test(error.message)) {
      throw new EngineError(404, `${error.message} (pull it first with ${d.toolName('pull_image')})`);
    }
    throw error;
  }
}

async function describe(d: DockerInstance, id: string, verb: string, warnings: string[], signal: AbortSignal) {
  const info = await d.inspect(id, signal);
  const host = info.HostConfig as { Memory?: number; NanoCpus?: number; PidsLimit?: number };
  const ports = Object.entries((info as unknown as { NetworkSettings?: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> } }).NetworkSettings?.Ports ?? {})
    .flatMap(([port, list]) => (list ?? []).map((b) => `${b.HostIp}:${b.HostPort}->${port}`));
  const text = [
    `${verb} ${containerName(info)} (${info.Id.slice(0, 12)}) from ${info.Config.Image}: ${info.State.Status}`,
    `limits: ${Math.round((host.Memory ?? 0) / 1048576)} MB memory, ${(host.NanoCpus ?? 0) / 1e9} CPU, ${host.PidsLimit ?? '-'} PIDs; no-new-privileges`,
    ...(ports.length ? [`ports: ${ports.join(', ')}`] : []),
    ...warnings.map((w) => `Engine warning: ${w}`),
  ].join('\n');
  return textResult(text, { id: info.Id, name: containerName(info), state: info.State.Status, ports, warnings });
}

export const createContainer: ToolFactory = (d) => ({
  name: 'create_container',
  title: 'Create a container',
  description:
    'Creates (does not start) a container from a local image under the container policy: no privileged mode, added capabilities, host namespaces, devices, docker.sock or binds outside the allowed roots; ' +
    `ports bind to ${d.config.publishAddress}; memory/CPU/PID limits and no-new-privileges always apply. The container is labelled as managed by this instance.`,
  inputSchema: createSchema(d),
  annotations: OPERATE_REPEATING,
  handler: async (args: CreateArgs, extra) => {
    try {
      const { id, warnings } = await create(d, args, extra);
      return await describe(d, id, 'created', warnings, extra.signal);
    } catch (error) {
      return d.failure(error);
    }
  },
});

export const runContainer: ToolFactory = (d) => ({
  name: 'run_container',
  title: 'Run a container',
  description: 'create_container, then start it (same policy and arguments). If it cannot start, the created container is removed again.',
  inputSchema: createSchema(d),
  annotations: OPERATE_REPEATING,
  handler: async (args: CreateArgs, extra) => {
    try {
      const { id, warnings } = await create(d, args, extra);
      try {
        await d.engine.call({ method: 'POST', path: `/containers/${seg(id)}/start`, ok: [204, 304] }, extra.signal);
      } catch (error) {
        await d.engine.call({ method: 'DELETE', path: `/containers/${seg(id)}`, query: { force: true, v: true } }).catch(() => {});
        throw error;
      }
      return await describe(d, id, 'started', warnings, extra.signal);
    } catch (error) {
      return d.failure(error);
    }
  },
});
