import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from '../../../core/api/index.js';
import type { ServerCalls } from '../server-calls.js';

/** Host definitions of the server's items: same metadata, handlers that forward to the server by its own names. */
export function toolDefinition(calls: ServerCalls, tool: Tool, localName: string): ToolDefinition {
  return {
    name: localName,
    title: tool.title ?? tool.annotations?.title,
    description: tool.description ?? '',
    inputSchema: objectSchema(tool.inputSchema),
    outputSchema: tool.outputSchema,
    annotations: tool.annotations,
    handler: (args, extra) => calls.callTool(tool.name, args, extra),
  };
}

export function promptDefinition(calls: ServerCalls, prompt: Prompt, localName: string): PromptDefinition {
  const ref = { type: 'ref/prompt' as const, name: prompt.name };
  return {
    name: localName,
    title: prompt.title,
    description: prompt.description as string,
    arguments: prompt.arguments,
    get: (args, extra) => calls.getPrompt(prompt.name, args, extra),
    complete: (argument, value, context) => calls.complete(ref, argument, value, context),
  };
}

export function resourceDefinition(calls: ServerCalls, resource: Resource): ResourceDefinition {
  return {
    uri: resource.uri,
    name: resource.name,
    title: resource.title,
    description: resource.description,
    mimeType: resource.mimeType,
    read: (uri, extra) => calls.readResource(uri, extra),
    subscribe: (uri) => calls.subscribe(uri),
    unsubscribe: (uri) => calls.unsubscribe(uri),
  };
}

export function templateDefinition(calls: ServerCalls, template: Omit<ResourceTemplate, 'name'> & { name: string }, completes = true): ResourceTemplateDefinition {
  const ref = { type: 'ref/resource' as const, uri: template.uriTemplate };
  return {
    uriTemplate: template.uriTemplate,
    name: template.name,
    title: template.title,
    description: template.description,
    mimeType: template.mimeType,
    read: (uri, _variables, extra) => calls.readResource(uri, extra),
    complete: completes ? (variable, value, context) => calls.complete(ref, variable, value, context) : undefined,
    subscribe: (uri) => calls.subscribe(uri),
    unsubscribe: (uri) => calls.unsubscribe(uri),
  };
}

/** A server that sent no schema, or one without `type`, takes an object of any arguments (the host requires `type: "object"`). */
function objectSchema(schema: unknown): Tool['inputSchema'] {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return { type: 'object' };
  const typed = schema as Tool['inputSchema'];
  return typed.type === undefined ? { ...typed, type: 'object' } : typed;
}
