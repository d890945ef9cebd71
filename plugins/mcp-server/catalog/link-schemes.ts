import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ResourceTemplateDefinition } from '../../../core/api/index.js';

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):(\/\/)?/;

/**
 * Resource links in tool results may name URIs the server never listed (MCP allows it), yet the
 * client must be able to read them back through the host. For such a URI's scheme this adds one
 * catch-all template (`file://{+rest}`, `urn:{+rest}`) whose reads go to the server as they are.
 * Listed resources and templates are matched first, so only links nothing else serves add one.
 */
export class LinkSchemes {
  private readonly added = new Set<string>();

  constructor(
    private readonly served: (uri: string) => boolean,
    private readonly register: (template: Omit<ResourceTemplateDefinition, 'read'>) => void,
  ) {}

  note(result: CallToolResult): void {
    const content = result?.content;
    if (!Array.isArray(content)) return;
    for (const item of content) {
      const uri = item.type === 'resource_link' ? item.uri : item.type === 'resource' ? item.resource?.uri : undefined;
      if (typeof uri === 'string') this.cover(uri);
    }
  }

  private cover(uri: string): void {
    const match = SCHEME.exec(uri);
    if (!match) return;
    const key = `${match[1]}:${match[2] ?? ''}`;
    if (this.added.has(key) || this.served(uri)) return;
    this.added.add(key);
    const uriTemplate = `${key}{+rest}`;
    this.register({
      uriTemplate,
      name: `${match[1]} links`,
      description: `Any ${match[1]}: URI this server returns in a tool result (read from the server as it is).`,
    });
  }
}

/** Compiled matchers of a server's templates, to tell whether a URI is already served. */
export function templateMatcher(uriTemplate: string): ((uri: string) => boolean) | undefined {
  try {
    const template = new UriTemplate(uriTemplate);
    return (uri) => template.match(uri) !== null;
  } catch {
    return undefined;
  }
}
