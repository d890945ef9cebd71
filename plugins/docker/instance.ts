/**
 * One instance's shared state: its config, its lazy Engine connection, its bind rules, and the lookups
 * every tool needs (a container by id or name, the managedOnly rule), with every failure turned into
 * one clear isError result.
 */
import type { CallToolResult, PluginContext } from '../../core/api/index.js';
import type { DockerConfig } from './config.js';
import { Engine, seg } from './engine/engine.js';
import { BadArgument, Cancelled, EngineError, EngineUnavailable, Refusal } from './engine/errors.js';
import { resolveTarget } from './engine/target.js';
import { bindRules, type BindRules } from './safety/bind-paths.js';
import { isManagedBy } from './safety/managed.js';

/** The parts of GET /containers/{id}/json the plugin reads. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  RestartCount?: number;
  State: {
    Status: string;
    Running: boolean;
    Paused: boolean;
    Restarting: boolean;
    OOMKilled: boolean;
    Dead: boolean;
    Pid: number;
    ExitCode: number;
    Error: string;
    StartedAt: string;
    FinishedAt: string;
    Health?: { Status: string; FailingStreak: number; Log?: { ExitCode: number; Output: string; End: string }[] };
  };
  Config: { Tty: boolean; Image: string; Labels: Record<string, string> | null; Env?: string[]; Cmd?: string[] | null };
  HostConfig: Record<string, unknown>;
}

export function containerName(info: { Name?: string; Names?: string[]; Id: string }): string {
  const name = info.Name ?? info.Names?.[0];
  return name ? name.replace(/^\//, '') : info.Id.slice(0, 12);
}

export function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

export class DockerInstance {
  readonly engine: Engine;
  readonly rules: BindRules;

  constructor(readonly ctx: PluginContext<DockerConfig>) {
    const target = resolveTarget(ctx.config, (p) => ctx.resolvePath(p));
    this.engine = new Engine(target, ctx.config.apiTimeoutMs);
    this.rules = bindRules(ctx.config.allowedBindRoots, (p) => ctx.resolvePath(p), target.local);
  }

  get config(): DockerConfig {
    return this.ctx.config;
  }

  get instanceId(): string {
    return this.ctx.instanceId;
  }

  /** Exposed tool name (for prompts and hints). */
  toolName(name: string): string {
    return this.ctx.namespace ? `${this.ctx.namespace}__${name}` : name;
  }

  async inspect(id: string, signal?: AbortSignal): Promise<ContainerInspect> {
    return this.engine.call<ContainerInspect>({ method: 'GET', path: `/containers/${seg(id)}/json` }, signal);
  }

  /** The container, refused under managedOnly when this instance did not create it. */
  async managed(id: string, action: string, signal?: AbortSignal): Promise<ContainerInspect> {
    const info = await this.inspect(id, signal);
    if (this.config.managedOnly && !isManagedBy(info.Config.Labels, this.instanceId)) {
      throw new Refusal(
        `refused: ${action} on container "${containerName(info)}" (${info.Id.slice(0, 12)}): it was not created by this instance ("${this.instanceId}") and managedOnly is on, ` +
          'so operate and admin actions only touch containers this instance created',
      );
    }
    return info;
  }

  /** An isError result that says what went wrong, in one sentence. */
  failure(error: unknown): CallToolResult {
    if (error instanceof Refusal) return errorResult(error.message.startsWith('refused') ? error.message : `refused: ${error.message}`);
    if (error instanceof BadArgument || error instanceof EngineUnavailable) return errorResult(error.message);
    if (error instanceof Cancelled) return errorResult('cancelled by the client');
    if (error instanceof EngineError) {
      if (error.statusCode === 404) return errorResult(`not found: ${error.message}`);
      if (error.statusCode === 409) return errorResult(`conflict: ${error.message}`);
      return errorResult(`Docker Engine error (HTTP ${error.statusCode}): ${error.message}`);
    }
    return errorResult(`failed: ${(error as Error)?.message ?? String(error)}`);
  }
}
