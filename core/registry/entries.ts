import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from '../api/plugin-api.js';
import type { CallPolicy } from '../limits/call-policy.js';
import type { Validator } from '../util/json-schema.js';

/** One instance generation as the routing table sees it: who answers, and a lease count for draining. */
export interface Owner {
  readonly instanceId: string;
  readonly namespace: string;
  /** URI schemes this instance uses without `//` (so exposed URIs map back exactly). */
  readonly opaqueSchemes: Set<string>;
  /** Holds the generation while a request runs on it. */
  enter(): void;
  leave(): void;
  /** The instance's time limit, limits and audit log for calls (core/limits); without one: 60 s, no limits, no audit. */
  readonly policy?: CallPolicy;
}

export interface ToolEntry {
  /** What tools/list shows (exposed name). */
  readonly tool: Tool;
  readonly def: ToolDefinition;
  readonly owner: Owner;
  /** Compiled on first call, then reused. */
  validate?: Validator;
}

export interface ResourceEntry {
  readonly resource: Resource;
  readonly def: ResourceDefinition;
  readonly owner: Owner;
}

export interface TemplateEntry {
  readonly template: ResourceTemplate;
  readonly def: ResourceTemplateDefinition;
  readonly owner: Owner;
  /** Matches a URI in the plugin's own terms. */
  match(uri: string): Record<string, string | string[]> | null;
}

export interface PromptEntry {
  readonly prompt: Prompt;
  readonly def: PromptDefinition;
  readonly owner: Owner;
}

/** Everything one instance exposes, keyed by exposed name / URI / URI template. */
export interface Surface {
  owner: Owner;
  tools: Map<string, ToolEntry>;
  resources: Map<string, ResourceEntry>;
  templates: Map<string, TemplateEntry>;
  prompts: Map<string, PromptEntry>;
}

export type SurfaceKind = 'tools' | 'resources' | 'prompts';

export function emptySurface(owner: Owner): Surface {
  return { owner, tools: new Map(), resources: new Map(), templates: new Map(), prompts: new Map() };
}
