import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { PromptDefinition, Registration, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from '../api/plugin-api.js';
import { emptySurface, type Owner, type Surface } from '../registry/entries.js';
import { exposeName } from '../registry/naming.js';
import { exposeUri, parseUri } from '../registry/resource-uri.js';
import { HostError } from '../util/host-error.js';

/**
 * Collects what a plugin registers through `ctx` into its instance's surface (the staging table).
 * Once the generation is live, every change is published to the routing table at once;
 * a change the table refuses (a name collision) is rolled back and thrown to the plugin.
 */
export class SurfaceBuilder {
  readonly surface: Surface;
  private publish?: (surface: Surface) => void;

  constructor(private readonly owner: Owner) {
    this.surface = emptySurface(owner);
  }

  /** From now on, changes go live through `publish`. */
  goLive(publish: (surface: Surface) => void): void {
    this.publish = publish;
    publish(this.surface);
  }

  addTool(def: ToolDefinition<any>): Registration {
    const { instanceId, namespace } = this.owner;
    requireShape(instanceId, 'tool', def, ['name', 'string'], ['description', 'string'], ['inputSchema', 'object'], ['handler', 'function']);
    if ((def.inputSchema as { type?: unknown }).type !== 'object') {
      throw new HostError('REGISTER_FAILED', `tool "${def.name}" of instance "${instanceId}": inputSchema must have type "object"`, { instance: instanceId });
    }
    const name = exposeName(namespace, def.name, instanceId, 'tool');
    const tool = { name, title: def.title, description: def.description, inputSchema: def.inputSchema as any, outputSchema: def.outputSchema as any, annotations: def.annotations };
    return this.add(this.surface.tools, name, 'tool', { tool: dropUndefined(tool), def, owner: this.owner });
  }

  addPrompt(def: PromptDefinition): Registration {
    const { instanceId, namespace } = this.owner;
    requireShape(instanceId, 'prompt', def, ['name', 'string'], ['get', 'function']);
    const name = exposeName(namespace, def.name, instanceId, 'prompt');
    const prompt = { name, title: def.title, description: def.description, arguments: def.arguments };
    return this.add(this.surface.prompts, name, 'prompt', { prompt: dropUndefined(prompt), def, owner: this.owner });
  }

  addResource(def: ResourceDefinition): Registration {
    const { instanceId, namespace } = this.owner;
    requireShape(instanceId, 'resource', def, ['uri', 'string'], ['name', 'string'], ['read', 'function']);
    const uri = exposeUri(namespace, def.uri, instanceId);
    this.noteScheme(def.uri);
    const resource = { uri, name: def.name, title: def.title, description: def.description, mimeType: def.mimeType };
    return this.add(this.surface.resources, uri, 'resource', { resource: dropUndefined(resource), def, owner: this.owner });
  }

  addTemplate(def: ResourceTemplateDefinition): Registration {
    const { instanceId, namespace } = this.owner;
    requireShape(instanceId, 'resource template', def, ['uriTemplate', 'string'], ['name', 'string'], ['read', 'function']);
    let matcher: UriTemplate;
    try {
      matcher = new UriTemplate(def.uriTemplate);
    } catch (error) {
      throw new HostError('REGISTER_FAILED', `resource template "${def.uriTemplate}" of instance "${instanceId}": ${(error as Error).message}`, { instance: instanceId });
    }
    const uriTemplate = exposeUri(namespace, def.uriTemplate, instanceId);
    this.noteScheme(def.uriTemplate);
    const template = { uriTemplate, name: def.name, title: def.title, description: def.description, mimeType: def.mimeType };
    return this.add(this.surface.templates, uriTemplate, 'resource template', {
      template: dropUndefined(template),
      def,
      owner: this.owner,
      match: (uri: string) => matcher.match(uri),
    });
  }

  private noteScheme(uri: string): void {
    const parsed = parseUri(uri);
    if (parsed && !parsed.hierarchical) this.owner.opaqueSchemes.add(parsed.scheme);
  }

  private add<E>(map: Map<string, E>, key: string, kind: string, entry: E): Registration {
    if (map.has(key)) {
      throw new HostError('NAME_COLLISION', `instance "${this.owner.instanceId}" registers ${kind} "${key}" twice`, { instance: this.owner.instanceId });
    }
    map.set(key, entry);
    this.sync(() => map.delete(key));
    let removed = false;
    return {
      remove: () => {
        if (removed || map.get(key) !== entry) return;
        removed = true;
        map.delete(key);
        this.sync(() => map.set(key, entry));
      },
    };
  }

  private sync(undo: () => void): void {
    if (!this.publish) return;
    try {
      this.publish(this.surface);
    } catch (error) {
      undo();
      throw error;
    }
  }
}

function requireShape(instance: string, kind: string, def: object, ...fields: [string, string][]): void {
  for (const [field, type] of fields) {
    const actual = typeof (def as Record<string, unknown>)[field];
    if (actual !== type || (type === 'object' && (def as Record<string, unknown>)[field] === null)) {
      const name = (def as { name?: unknown; uri?: unknown }).name ?? (def as { uri?: unknown }).uri ?? '?';
      throw new HostError('REGISTER_FAILED', `${kind} "${String(name)}" of instance "${instance}": ${field} must be a ${type}`, { instance, expected: type, actual });
    }
  }
}

/**
 * The defined fields only, built as a fresh object: deleting keys instead would put the object in V8's
 * slow dictionary mode, and these objects are serialized on every list.
 */
function dropUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field;
  return out as T;
}
