import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import { HostError } from '../util/host-error.js';
import type { Owner, PromptEntry, ResourceEntry, Surface, SurfaceKind, TemplateEntry, ToolEntry } from './entries.js';
import { unexposeUri, uriNamespace } from './resource-uri.js';

export interface ResolvedResource {
  owner: Owner;
  /** The URI in the plugin's own terms. */
  uri: string;
  resource?: ResourceEntry;
  template?: TemplateEntry;
  variables?: Record<string, string | string[]>;
}

type Listener = (kinds: Set<SurfaceKind>) => void;

/**
 * The routing table: exposed name/URI → entry of the instance generation that serves it.
 * An instance's entries are replaced in one synchronous step (`publish`), and the sorted lists
 * are cached until the set changes.
 */
export class Registry {
  private readonly surfaces = new Map<string, Surface>();
  private readonly tools = new Map<string, ToolEntry>();
  private readonly prompts = new Map<string, PromptEntry>();
  private readonly resources = new Map<string, ResourceEntry>();
  private readonly templates = new Map<string, TemplateEntry>();
  private cache: { tools?: Tool[]; prompts?: Prompt[]; resources?: Resource[]; templates?: ResourceTemplate[] } = {};
  private readonly listeners = new Set<Listener>();

  /** Replaces what `instanceId` exposes. Throws NAME_COLLISION (changing nothing) if another instance already owns a name. */
  publish(instanceId: string, next: Surface): void {
    this.checkCollisions(instanceId, next);
    // A copy: the publisher keeps mutating its own surface, and `drop` must see what was published.
    const surface: Surface = { owner: next.owner, tools: new Map(next.tools), resources: new Map(next.resources), templates: new Map(next.templates), prompts: new Map(next.prompts) };
    const previous = this.surfaces.get(instanceId);
    this.drop(previous);
    this.surfaces.set(instanceId, surface);
    for (const [k, v] of surface.tools) this.tools.set(k, v);
    for (const [k, v] of surface.prompts) this.prompts.set(k, v);
    for (const [k, v] of surface.resources) this.resources.set(k, v);
    for (const [k, v] of surface.templates) this.templates.set(k, v);
    this.changed(previous, surface);
  }

  unpublish(instanceId: string): void {
    const previous = this.surfaces.get(instanceId);
    if (!previous) return;
    this.drop(previous);
    this.surfaces.delete(instanceId);
    this.changed(previous, undefined);
  }

  surfaceOf(instanceId: string): Surface | undefined {
    return this.surfaces.get(instanceId);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  tool(name: string): ToolEntry | undefined {
    return this.tools.get(name);
  }

  prompt(name: string): PromptEntry | undefined {
    return this.prompts.get(name);
  }

  template(exposedTemplate: string): TemplateEntry | undefined {
    return this.templates.get(exposedTemplate);
  }

  /** Finds who serves an exposed URI: a fixed resource first, then the templates of the namespace the URI names, then unprefixed instances. */
  resolveResource(uri: string): ResolvedResource | undefined {
    const fixed = this.resources.get(uri);
    if (fixed) return { owner: fixed.owner, uri: fixed.def.uri, resource: fixed };
    const namespace = uriNamespace(uri);
    for (const surface of this.surfaces.values()) {
      const owner = surface.owner;
      if ((owner.namespace !== '' && owner.namespace !== namespace)) continue;
      const original = unexposeUri(owner.namespace, uri, owner.opaqueSchemes);
      if (original === undefined) continue;
      for (const template of surface.templates.values()) {
        const variables = template.match(original);
        if (variables) return { owner, uri: original, template, variables };
      }
    }
    return undefined;
  }

  listTools(): Tool[] {
    return (this.cache.tools ??= sorted(this.tools, (e) => e.tool));
  }

  listPrompts(): Prompt[] {
    return (this.cache.prompts ??= sorted(this.prompts, (e) => e.prompt));
  }

  listResources(): Resource[] {
    return (this.cache.resources ??= sorted(this.resources, (e) => e.resource));
  }

  listTemplates(): ResourceTemplate[] {
    return (this.cache.templates ??= sorted(this.templates, (e) => e.template));
  }

  /** Template entries in listing order (not in the order instances happened to start), for listing their concrete resources. */
  templateEntries(): TemplateEntry[] {
    return this.listTemplates().map((template) => this.templates.get(template.uriTemplate)!);
  }

  private checkCollisions(instanceId: string, surface: Surface): void {
    const clash = (kind: string, name: string, other: Owner | undefined) => {
      if (other && other.instanceId !== instanceId) {
        throw new HostError('NAME_COLLISION', `${kind} "${name}" of instance "${instanceId}" is already exposed by instance "${other.instanceId}"`, {
          instance: instanceId,
          expected: 'a unique name',
          actual: name,
        });
      }
    };
    for (const name of surface.tools.keys()) clash('tool', name, this.tools.get(name)?.owner);
    for (const name of surface.prompts.keys()) clash('prompt', name, this.prompts.get(name)?.owner);
    for (const uri of surface.resources.keys()) clash('resource', uri, this.resources.get(uri)?.owner);
    for (const uri of surface.templates.keys()) clash('resource template', uri, this.templates.get(uri)?.owner);
  }

  private drop(surface: Surface | undefined): void {
    if (!surface) return;
    for (const k of surface.tools.keys()) this.tools.delete(k);
    for (const k of surface.prompts.keys()) this.prompts.delete(k);
    for (const k of surface.resources.keys()) this.resources.delete(k);
    for (const k of surface.templates.keys()) this.templates.delete(k);
  }

  private changed(before: Surface | undefined, after: Surface | undefined): void {
    const kinds = new Set<SurfaceKind>();
    const size = (s: Surface | undefined, k: Exclude<keyof Surface, 'owner'>) => s?.[k].size ?? 0;
    if (size(before, 'tools') + size(after, 'tools') > 0) kinds.add('tools');
    if (size(before, 'prompts') + size(after, 'prompts') > 0) kinds.add('prompts');
    if (size(before, 'resources') + size(after, 'resources') + size(before, 'templates') + size(after, 'templates') > 0) kinds.add('resources');
    if (kinds.has('tools')) this.cache.tools = undefined;
    if (kinds.has('prompts')) this.cache.prompts = undefined;
    if (kinds.has('resources')) this.cache = { ...this.cache, resources: undefined, templates: undefined };
    if (kinds.size > 0) for (const listener of this.listeners) listener(kinds);
  }
}

function sorted<E, T>(map: Map<string, E>, pick: (e: E) => T): T[] {
  return [...map.keys()].sort().map((k) => pick(map.get(k)!));
}
