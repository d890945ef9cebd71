/**
 * Catalog queries used by the tools, resources and completions. They run through the same READ ONLY
 * transaction as user SQL; $n parameters carry every user-supplied name.
 */
const USER_SCHEMA = `n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))`;

const KIND = `CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
  WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table' END`;

export const LIST_SCHEMAS = `SELECT n.nspname AS schema, pg_get_userbyid(n.nspowner) AS owner,
  (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r','p','v','m','f'))::int AS relations,
  obj_description(n.oid, 'pg_namespace') AS comment
FROM pg_namespace n WHERE ${USER_SCHEMA} ORDER BY 1`;

/** $1 allowlist or null, $2 schema or null, $3 name prefix or null. */
export const LIST_TABLES = `SELECT n.nspname AS schema, c.relname AS name, ${KIND} AS kind,
  CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END AS row_estimate,
  obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r','p','v','m','f') AND ${USER_SCHEMA}
  AND ($2::text IS NULL OR n.nspname = $2) AND ($3::text IS NULL OR starts_with(c.relname, $3))
ORDER BY 1, 2`;

/** One row, one JSON column: everything about a table. $1 allowlist or null, $2 table, $3 schema or null. */
export const DESCRIBE_TABLE = `SELECT json_build_object(
  'schema', n.nspname, 'name', c.relname, 'kind', ${KIND},
  'rowEstimate', CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END,
  'comment', obj_description(c.oid, 'pg_class'),
  'columns', (SELECT coalesce(json_agg(json_build_object(
      'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'nullable', NOT a.attnotnull,
      'default', pg_get_expr(d.adbin, d.adrelid), 'comment', col_description(a.attrelid, a.attnum)) ORDER BY a.attnum), '[]'::json)
    FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
  'primaryKey', (SELECT json_agg(a.attname ORDER BY k.ord) FROM pg_constraint p
    CROSS JOIN LATERAL unnest(p.conkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = p.conrelid AND a.attnum = k.attnum
    WHERE p.conrelid = c.oid AND p.contype = 'p'),
  'foreignKeys', (SELECT coalesce(json_agg(json_build_object('name', f.conname, 'references', f.confrelid::regclass::text,
      'definition', pg_get_constraintdef(f.oid)) ORDER BY f.conname), '[]'::json)
    FROM pg_constraint f WHERE f.conrelid = c.oid AND f.contype = 'f'),
  'constraints', (SELECT coalesce(json_agg(json_build_object('name', o.conname, 'type', CASE o.contype WHEN 'u' THEN 'unique' WHEN 'c' THEN 'check' ELSE 'exclusion' END,
      'definition', pg_get_constraintdef(o.oid)) ORDER BY o.conname), '[]'::json)
    FROM pg_constraint o WHERE o.conrelid = c.oid AND o.contype IN ('u', 'c', 'x')),
  'indexes', (SELECT coalesce(json_agg(json_build_object('name', i.relname, 'unique', x.indisunique, 'primary', x.indisprimary,
      'definition', pg_get_indexdef(x.indexrelid)) ORDER BY i.relname), '[]'::json)
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid)
) AS description
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r','p','v','m','f') AND c.relname = $2 AND ${USER_SCHEMA}
  AND (CASE WHEN $3::text IS NULL THEN pg_table_is_visible(c.oid) ELSE n.nspname = $3 END)
LIMIT 1`;

export interface TableDescription {
  schema: string;
  name: string;
  kind: string;
  rowEstimate: number | null;
  comment: string | null;
  columns: { name: string; type: string; nullable: boolean; default: string | null; comment: string | null }[];
  primaryKey: string[] | null;
  foreignKeys: { name: string; references: string; definition: string }[];
  constraints: { name: string; type: string; definition: string }[];
  indexes: { name: string; unique: boolean; primary: boolean; definition: string }[];
}

export function renderDescription(d: TableDescription): string {
  const lines = [`${d.kind} ${d.schema}.${d.name}${d.rowEstimate !== null ? ` (~${d.rowEstimate} rows)` : ''}${d.comment ? ` -- ${d.comment}` : ''}`];
  for (const c of d.columns) {
    lines.push(`  ${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}${c.default ? ` DEFAULT ${c.default}` : ''}${c.comment ? ` -- ${c.comment}` : ''}`);
  }
  if (d.primaryKey) lines.push(`primary key: (${d.primaryKey.join(', ')})`);
  for (const f of d.foreignKeys) lines.push(`foreign key ${f.name}: ${f.definition}`);
  for (const c of d.constraints) lines.push(`${c.type} ${c.name}: ${c.definition}`);
  for (const i of d.indexes) lines.push(`index ${i.definition}`);
  return lines.join('\n');
}
