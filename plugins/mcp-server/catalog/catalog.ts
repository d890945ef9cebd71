import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { PluginContext } from '../../../core/api/index.js';
import type { McpServerConfig } from '../config.js';
import type { ServerCalls } from '../server-calls.js';
import { promptDefinition, resourceDefinition, templateDefinition, toolDefinition } from './definitions.js';
import { LinkSchemes, templateMatcher } from './link-schemes.js';
import { listAll } from './list-all.js';
import { LocalNames } from './local-names.js';
import { Mirror } from './mirror.js';

export type CatalogKind = 'tools' | 'prompts' | 'resources';

/**
 * The server's tools, prompts, resources and templates, registered with the host under the
 * instance's namespace and kept in step with the server: listed on every (re)connection and on
 * each of its list_changed notifications (coalesced: one listing at a time per kind, one more if
 * a change came in meanwhile). While the server is away the last catalog stays registered.
 */
export class Catalog {
  private readonly toolNames = new LocalNames();
  private readonly promptNames = new LocalNames();
  private readonly tools: Mirror<Tool>;
  private readonly prompts: Mirror<Prompt>;
  private readonly resources: Mirror<Resource>;
  private readonly templates: Mirror<ResourceTemplate>;
  private readonly templateMatchers = new Map<string, (uri: string) => boolean>();
  readonly links: LinkSchemes;
  private readonly running = new Map<CatalogKind, Promise<void>>();
  private readonly dirty = new Set<CatalogKind>();

  constructor(
    private readonly ctx: PluginContext<McpServerConfig>,
    private readonly calls: ServerCalls,
    private readonly current: () => Client | undefined,
  ) {
    const { config, logger } = ctx;
    const refused = (kind: string) => (key: string, error: unknown) => logger.warn(`${kind} "${key}" of the server not exposed: ${(error as Error)?.message ?? String(error)}`);
    const include = config.includeTools ? new Set(config.includeTools) : undefined;
    const exclude = new Set(config.excludeTools ?? []);
    this.tools = new Mirror<Tool>(
      (t) => t.name,
      (t) => {
        if ((include && !include.has(t.name)) || exclude.has(t.name)) return undefined;
        return ctx.tools.register(toolDefinition(calls, t, this.toolNames.local(t.name)));
      },
      (name) => this.toolNames.release(name),
      refused('tool'),
    );
    this.prompts = new Mirror<Prompt>(
      (p) => p.name,
      (p) => ctx.prompts.register(promptDefinition(calls, p, this.promptNames.local(p.name))),
      (name) => this.promptNames.release(name),
      refused('prompt'),
    );
    this.resources = new Mirror<Resource>((r) => r.uri, (r) => ctx.resources.register(resourceDefinition(calls, r)), undefined, refused('resource'));
    this.templates = new Mirror<ResourceTemplate>(
      (t) => t.uriTemplate,
      (t) => {
        const registration = ctx.resources.registerTemplate(templateDefinition(calls, t));
        const matcher = templateMatcher(t.uriTemplate);
        if (matcher) this.templateMatchers.set(t.uriTemplate, matcher);
        return registration;
      },
      (uriTemplate) => this.templateMatchers.delete(uriTemplate),
      refused('resource template'),
    );
    this.links = new LinkSchemes(
      (uri) => this.resources.keys().includes(uri) || [...this.templateMatchers.values()].some((matches) => matches(uri)),
      (template) => {
        try {
          ctx.resources.registerTemplate(templateDefinition(calls, { ...template }, false));
        } catch (error) {
          logger.warn(`resource links of scheme "${template.uriTemplate}" cannot be read back: ${(error as Error).message}`);
        }
      },
    );
    calls.onToolResult = (result) => this.links.note(result);
  }

  /** Lists every kind the server offers (after a connection is made). */
  async syncAll(): Promise<void> {
    await Promise.all((['tools', 'prompts', 'resources'] as const).map((kind) => this.refresh(kind)));
  }

  /** Lists one kind again (the server said it changed); resolves once the host's registrations match. */
  refresh(kind: CatalogKind): Promise<void> {
    const running = this.running.get(kind);
    if (running) {
      this.dirty.add(kind);
      return running;
    }
    const run = (async () => {
      do {
        this.dirty.delete(kind);
        await this.list(kind);
      } while (this.dirty.has(kind));
    })().finally(() => this.running.delete(kind));
    this.running.set(kind, run);
    return run;
  }

  private async list(kind: CatalogKind): Promise<void> {
    const client = this.current();
    if (!client) return;
    const offered = client.getServerCapabilities() ?? {};
    try {
      if (kind === 'tools') {
        this.tools.apply(offered.tools ? await listAll(client, 'tools/list', 'tools') : []);
      } else if (kind === 'prompts') {
        this.prompts.apply(offered.prompts ? await listAll(client, 'prompts/list', 'prompts') : []);
      } else {
        const [resources, templates] = offered.resources
          ? await Promise.all([listAll(client, 'resources/list', 'resources'), listAll(client, 'resources/templates/list', 'resourceTemplates')])
          : [[], []];
        this.resources.apply(resources as Resource[]);
        this.templates.apply(templates as ResourceTemplate[]);
      }
    } catch (error) {
      // The connection may be gone already: the next one lists again.
      if (this.current() === client) this.ctx.logger.warn(`listing ${kind} of the server failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }
}
