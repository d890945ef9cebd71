import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { RESULT_JSON, type RequestExtra } from '../api/plugin-api.js';
import type { AuditEntry, AuditLog, CallOutcome } from '../audit/audit-log.js';
import { CallDeadline, EXPIRED, expiredText } from '../limits/call-deadline.js';
import { DEFAULT_TIMEOUT_MS } from '../limits/call-policy.js';
import type { ToolEntry } from '../registry/entries.js';
import { compileValidator } from '../util/json-schema.js';
import { reuseJson } from './json-cache.js';
import { exposeResultUris } from './rewrite-result-uris.js';
import { describeSchemaProblem } from './schema-problem.js';

export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * Calls one tool: arguments validated against its schema (compiled on first use), the instance's limits passed,
 * a lease held on its generation and a time limit on the handler while it runs, every failure turned into an
 * `isError` result, and one audit line when the audit log is on.
 */
export function invokeTool(entry: ToolEntry, args: Record<string, unknown>, extra: RequestExtra): Promise<CallToolResult> {
  const audit = entry.owner.policy?.audit;
  return audit?.enabled ? auditedTool(entry, args, extra, audit) : runTool(entry, args, extra, undefined);
}

async function auditedTool(entry: ToolEntry, args: Record<string, unknown>, extra: RequestExtra, audit: AuditLog): Promise<CallToolResult> {
  const record = audit.begin(entry.owner.instanceId, entry.tool.name, args);
  try {
    return await runTool(entry, args, extra, record);
  } finally {
    audit.end(record);
  }
}

async function runTool(entry: ToolEntry, args: Record<string, unknown>, extra: RequestExtra, record: AuditEntry | undefined): Promise<CallToolResult> {
  const name = entry.tool.name;
  const problems = validateArguments(entry, args);
  if (problems) return fail(record, 'invalid-args', `Invalid arguments for tool ${name}: ${problems}`);
  const { owner } = entry;
  const policy = owner.policy;
  const limits = policy?.limits ? policy.forTool(entry.def.name, name) : null;
  if (limits) {
    const refusal = limits.admit();
    if (refusal) {
      if (record) record.limit = refusal.limit;
      return fail(record, 'limited', refusal.text);
    }
  }
  const ms = policy ? policy.timeoutMs : DEFAULT_TIMEOUT_MS;
  owner.enter();
  try {
    let result: CallToolResult;
    if (ms > 0) {
      const deadline = new CallDeadline(extra, ms);
      let outcome: CallToolResult | typeof EXPIRED;
      try {
        // A handler that answers synchronously cannot be overtaken by its deadline: no race, no extra promise.
        const value = entry.def.handler(args, deadline.extra);
        outcome = isThenable(value) ? await deadline.race(Promise.resolve(value)) : value;
      } finally {
        deadline.end();
      }
      if (outcome === EXPIRED) {
        return fail(record, 'timeout', `Tool ${name} timed out: ${expiredText(ms, owner.instanceId)}. The call was cancelled.`);
      }
      result = outcome;
    } else {
      result = await entry.def.handler(args, extra);
    }
    const checked = checkResult(entry, result);
    if (typeof checked === 'string') return fail(record, 'error', checked);
    if (record) record.outcome = checked.isError ? 'isError' : 'ok';
    return exposeResultUris(checked, owner);
  } catch (error) {
    return fail(record, 'error', `Tool ${name} failed: ${(error as Error)?.message ?? String(error)}`);
  } finally {
    owner.leave();
    limits?.release();
  }
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function fail(record: AuditEntry | undefined, outcome: CallOutcome, text: string): CallToolResult {
  if (record) record.outcome = outcome;
  return errorResult(text);
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

/**
 * The result as it goes to the client, or why it cannot go. What passes here passes the SDK's CallToolResultSchema
 * unchanged, so the host may answer without the SDK's own check (sdk-handler-override.ts): the common shape (text
 * items, isError, structuredContent) is checked by hand, anything else by that schema, whose copy (without members
 * the schema does not know) is what goes out, as the SDK's check would have sent it.
 */
function checkResult(entry: ToolEntry, result: CallToolResult): CallToolResult | string {
  if (!result || typeof result !== 'object' || !Array.isArray(result.content)) {
    return `Tool ${entry.tool.name} returned an invalid result: expected { content: [...] }`;
  }
  let checked = result;
  if (commonResult(result)) {
    // Text items only: nothing of it changes on the way out, so the JSON text a plugin carried can go as it is.
    const carried = (result as { [RESULT_JSON]?: unknown })[RESULT_JSON];
    if (typeof carried === 'string' || carried instanceof Uint8Array) reuseJson(result, carried);
  } else {
    const shape = CallToolResultSchema.safeParse(result);
    if (!shape.success) return `Tool ${entry.tool.name} returned an invalid result: ${describeSchemaProblem(shape.error.issues)}`;
    checked = shape.data;
  }
  if (entry.def.outputSchema && !checked.isError) {
    let validate = outputValidators.get(entry);
    if (!validate) outputValidators.set(entry, (validate = compileValidator(entry.def.outputSchema)));
    const problems = validate(checked.structuredContent ?? {});
    if (problems.length > 0) return `Tool ${entry.tool.name} returned structuredContent that does not match its outputSchema: ${problems.join('; ')}`;
  }
  return checked;
}

/** `{content: [{type: 'text', text}...], isError?: boolean, structuredContent?: {...}}` and nothing else. */
function commonResult(result: CallToolResult): boolean {
  for (const key in result) {
    const value = (result as Record<string, unknown>)[key];
    if (key === 'content' || (key === 'isError' && typeof value === 'boolean') || (key === 'structuredContent' && isPlainObject(value))) continue;
    return false;
  }
  for (const item of result.content) {
    if (item?.type !== 'text' || typeof item.text !== 'string') return false;
    for (const key in item) if (key !== 'type' && key !== 'text') return false;
  }
  return true;
}

function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
