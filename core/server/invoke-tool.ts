import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { RequestExtra } from '../api/plugin-api.js';
import type { ToolEntry } from '../registry/entries.js';
import { compileValidator } from '../util/json-schema.js';
import { exposeResultUris } from './rewrite-result-uris.js';
import { describeSchemaProblem } from './schema-problem.js';

export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * Calls one tool: arguments validated against its schema (compiled on first use), a lease held on
 * its generation while it runs, and every failure turned into an `isError` result.
 */
export async function invokeTool(entry: ToolEntry, args: Record<string, unknown>, extra: RequestExtra): Promise<CallToolResult> {
  const name = entry.tool.name;
  const problems = validateArguments(entry, args);
  if (problems) return errorResult(`Invalid arguments for tool ${name}: ${problems}`);
  const owner = entry.owner;
  owner.enter();
  try {
    const result = await entry.def.handler(args, extra);
    return checkResult(entry, result);
  } catch (error) {
    return errorResult(`Tool ${name} failed: ${(error as Error)?.message ?? String(error)}`);
  } finally {
    owner.leave();
  }
}

function validateArguments(entry: ToolEntry, args: Record<string, unknown>): string | undefined {
  if (!entry.validate) {
    try {
      entry.validate = compileValidator(entry.def.inputSchema);
    } catch (error) {
      return `the tool's inputSchema is not a valid JSON Schema (${(error as Error).message})`;
    }
  }
  const problems = entry.validate(args);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

const outputValidators = new WeakMap<ToolEntry, (value: unknown) => string[]>();

function checkResult(entry: ToolEntry, result: CallToolResult): CallToolResult {
  if (!result || typeof result !== 'object' || !Array.isArray(result.content)) {
    return errorResult(`Tool ${entry.tool.name} returned an invalid result: expected { content: [...] }`);
  }
  // The SDK re-checks the result after us and would answer a bad item with a JSON-RPC error, not isError.
  // Plain text results (nearly all) are checked by hand; anything else goes through the SDK's schema.
  if (!result.content.every(isText)) {
    const shape = CallToolResultSchema.safeParse(result);
    if (!shape.success) return errorResult(`Tool ${entry.tool.name} returned an invalid result: ${describeSchemaProblem(shape.error.issues)}`);
  }
  if (entry.def.outputSchema && !result.isError) {
    let validate = outputValidators.get(entry);
    if (!validate) outputValidators.set(entry, (validate = compileValidator(entry.def.outputSchema)));
    const problems = validate(result.structuredContent ?? {});
    if (problems.length > 0) return errorResult(`Tool ${entry.tool.name} returned structuredContent that does not match its outputSchema: ${problems.join('; ')}`);
  }
  return exposeResultUris(result, entry.owner);
}

function isText(item: unknown): boolean {
  return (item as { type?: unknown })?.type === 'text' && typeof (item as { text?: unknown }).text === 'string';
}
