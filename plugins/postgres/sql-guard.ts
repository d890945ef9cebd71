/**
 * Decides, with PostgreSQL's own parser (libpg_query compiled to WASM), whether a statement may run.
 * Regular expressions cannot see through comments, quoting, dollar quotes or nesting; the parse tree can.
 * This is one layer: the extended protocol, the READ ONLY transaction and the timeouts each hold on their own.
 */
import { deniedFunction } from './deny-list.js';

/** PostgreSQL's parser (WASM) loads on the first statement, not at start-up. */
async function parse(sql: string): Promise<unknown> {
  const { parse: parsePg } = await import('libpg-query');
  return parsePg(sql);
}

export type GuardMode = 'read' | 'write';

export class SqlRefused extends Error {}

const STATEMENT_NAMES: Record<string, string> = {
  InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE', TransactionStmt: 'transaction control',
  CopyStmt: 'COPY', DoStmt: 'DO', CallStmt: 'CALL', VariableSetStmt: 'SET', ExplainStmt: 'EXPLAIN', CreateTableAsStmt: 'CREATE TABLE AS',
  DeclareCursorStmt: 'DECLARE CURSOR', PrepareStmt: 'PREPARE', ExecuteStmt: 'EXECUTE', LockStmt: 'LOCK', ListenStmt: 'LISTEN', NotifyStmt: 'NOTIFY',
  VariableShowStmt: 'SHOW', VacuumStmt: 'VACUUM', LoadStmt: 'LOAD', DiscardStmt: 'DISCARD',
};

/** Statements `execute` refuses even with allowWrites: they escape its transaction or leave state in the pooled session. */
const WRITE_REFUSED = new Set([
  'TransactionStmt', 'DoStmt', 'CallStmt', 'CopyStmt', 'VariableSetStmt', 'LoadStmt', 'ListenStmt', 'UnlistenStmt', 'PrepareStmt', 'ExecuteStmt',
  'DeallocateStmt', 'DeclareCursorStmt', 'ClosePortalStmt', 'FetchStmt', 'DiscardStmt', 'CheckPointStmt', 'VacuumStmt', 'AlterSystemStmt',
  'CreatedbStmt', 'DropdbStmt', 'CreateSubscriptionStmt', 'AlterSubscriptionStmt', 'DropSubscriptionStmt', 'CreateTableSpaceStmt', 'DropTableSpaceStmt',
  'CreateRoleStmt', 'AlterRoleStmt', 'AlterRoleSetStmt', 'DropRoleStmt', 'GrantRoleStmt', 'ReindexStmt', 'ClusterStmt',
]);

/** Schemas that stay readable whatever the allowlist says (catalog metadata the tools themselves use). */
const ALWAYS_READABLE = new Set(['pg_catalog', 'information_schema']);

/** Names checked in attribute notation; narrow so ordinary columns (`t.schedule`, `t.http_status`) still read. */
const ATTRIBUTE_CHECKED = /^(pg_|lo_|dblink|set_config$)/;

function describe(stmtType: string): string {
  return STATEMENT_NAMES[stmtType] ?? stmtType.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

export interface GuardOptions {
  mode: GuardMode;
  /** Schema allowlist: qualified references to other schemas are refused. */
  schemas?: string[];
}

/**
 * Throws SqlRefused (saying why, never echoing the SQL) unless `sql` is exactly one statement allowed in `mode`.
 * Returns the statement's node type.
 */
export async function checkSql(sql: string, options: GuardOptions): Promise<string> {
  // The verdict is a pure function of the text and the options: agents repeat queries, so remember recent ones.
  // JSON keeps "no allowlist" and an empty one (or names that contain the separator) apart.
  const key = `${options.mode}\u0000${JSON.stringify(options.schemas ?? null)}\u0000${sql}`;
  const known = verdicts.get(key);
  if (known !== undefined) {
    verdicts.delete(key); // refresh its place in the LRU order
    verdicts.set(key, known);
    if (known instanceof SqlRefused) throw new SqlRefused(known.message);
    return known;
  }
  try {
    const stmtType = await decide(sql, options);
    remember(key, stmtType);
    return stmtType;
  } catch (error) {
    if (error instanceof SqlRefused) remember(key, error);
    throw error;
  }
}

const VERDICT_CACHE_SIZE = 500;
const VERDICT_MAX_SQL = 4096;
const verdicts = new Map<string, string | SqlRefused>();

function remember(key: string, verdict: string | SqlRefused): void {
  if (key.length > VERDICT_MAX_SQL) return;
  verdicts.set(key, verdict);
  if (verdicts.size > VERDICT_CACHE_SIZE) verdicts.delete(verdicts.keys().next().value as string);
}

async function decide(sql: string, options: GuardOptions): Promise<string> {
  let tree: { stmts?: { stmt?: Record<string, unknown> }[] };
  try {
    tree = (await parse(sql)) as typeof tree;
  } catch (error) {
    throw new SqlRefused(`SQL does not parse: ${(error as Error).message}`);
  }
  const stmts = tree.stmts ?? [];
  if (stmts.length === 0) throw new SqlRefused('no SQL statement given');
  if (stmts.length > 1) throw new SqlRefused(`exactly one statement is allowed per call (found ${stmts.length})`);
  const stmt = stmts[0].stmt ?? {};
  const stmtType = Object.keys(stmt)[0] ?? '';
  if (options.mode === 'read' && stmtType !== 'SelectStmt') {
    throw new SqlRefused(`only read statements (SELECT, WITH ... SELECT, TABLE, VALUES) are allowed; this is ${describe(stmtType)}`);
  }
  if (options.mode === 'write' && WRITE_REFUSED.has(stmtType)) {
    throw new SqlRefused(`${describe(stmtType)} is not allowed here: it escapes the call's transaction or leaves state in the pooled session`);
  }
  const allow = options.schemas ? new Set([...options.schemas, ...ALWAYS_READABLE]) : undefined;
  walk(stmt[stmtType], options.mode, allow);
  return stmtType;
}

function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => (item as { String?: { sval?: string } })?.String?.sval).filter((s): s is string => typeof s === 'string');
}

/** Visits every node of the tree: nested statements, clauses and every function call syntax. */
function walk(node: unknown, mode: GuardMode, allow: Set<string> | undefined): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, mode, allow);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (mode === 'read') {
      // A nested statement (data-modifying CTE, ...) or SELECT INTO / FOR UPDATE.
      if (key.endsWith('Stmt') && key !== 'SelectStmt') throw new SqlRefused(`only read statements are allowed; this contains ${describe(key)}`);
      if (key === 'intoClause' || key === 'IntoClause') throw new SqlRefused('SELECT ... INTO creates a table and is not allowed');
      if (key === 'lockingClause') throw new SqlRefused('SELECT ... FOR UPDATE/SHARE takes row locks and is not allowed');
    } else if (key.endsWith('Stmt') && WRITE_REFUSED.has(key)) {
      throw new SqlRefused(`${describe(key)} is not allowed here`);
    }
    if (key === 'FuncCall') {
      const called = names((value as { funcname?: unknown }).funcname);
      const why = deniedFunction(called);
      if (why) throw new SqlRefused(why);
    } else if (key === 'ColumnRef') {
      // Attribute notation: `t.f` may call f(t).
      const fields = names((value as { fields?: unknown }).fields);
      const last = (fields[fields.length - 1] ?? '').toLowerCase();
      if (fields.length >= 2 && ATTRIBUTE_CHECKED.test(last)) {
        const why = deniedFunction([last]);
        if (why) throw new SqlRefused(why);
      }
    } else if (key === 'RangeVar' && allow) {
      const schema = (value as { schemaname?: string }).schemaname;
      if (schema && !allow.has(schema)) throw new SqlRefused(`schema "${schema}" is outside this instance's schemas allowlist`);
    }
    walk(value, mode, allow);
  }
}

/**
 * The EXPLAIN text for a SELECT that passed checkSql, re-parsed as a whole so that nothing in `sql`
 * can change meaning once prefixed: it must still be exactly one EXPLAIN of one SELECT.
 */
export async function explainSql(sql: string, analyze: boolean, schemas?: string[]): Promise<string> {
  await checkSql(sql, { mode: 'read', schemas });
  const text = `EXPLAIN (FORMAT JSON${analyze ? ', ANALYZE, BUFFERS' : ''}) ${sql}`;
  const tree = (await parse(text)) as { stmts?: { stmt?: { ExplainStmt?: { query?: Record<string, unknown> } } }[] };
  const query = tree.stmts?.length === 1 ? tree.stmts[0].stmt?.ExplainStmt?.query : undefined;
  if (!query || Object.keys(query)[0] !== 'SelectStmt') throw new SqlRefused('the statement cannot be explained safely');
  return text;
}
