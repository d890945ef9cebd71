/**
 * Functions whose effects a READ ONLY transaction and its ROLLBACK do not undo (files, other sessions,
 * server state, connections out), or that run SQL text of their own and so would hide calls from the
 * parse-tree check. Matched case-insensitively on the function name whatever its schema, plus every
 * function of the listed schemas. Over-blocking a harmless name is the accepted cost.
 */

const GROUPS: { why: string; names?: string[]; prefixes?: string[] }[] = [
  {
    why: 'reads or writes server files',
    names: ['pg_read_file', 'pg_read_binary_file', 'pg_stat_file', 'pg_current_logfile', 'pg_file_write', 'pg_file_rename', 'pg_file_unlink', 'pg_file_sync', 'pg_logdir_ls'],
    prefixes: ['pg_ls_', 'pg_file_'],
  },
  {
    why: 'uses large objects (server files and storage outside the query)',
    names: ['loread', 'lowrite'],
    prefixes: ['lo_'],
  },
  {
    why: 'acts on other sessions or on the server',
    names: [
      'pg_terminate_backend', 'pg_cancel_backend', 'pg_reload_conf', 'pg_rotate_logfile', 'pg_log_backend_memory_contexts', 'pg_promote',
      'pg_switch_wal', 'pg_create_restore_point', 'pg_start_backup', 'pg_stop_backup', 'pg_backup_start', 'pg_backup_stop',
      'pg_import_system_collations', 'pg_truncate_visibility_map', 'pg_prewarm', 'pg_buffercache_evict', 'pg_buffercache_evict_all',
      'brin_summarize_new_values', 'brin_summarize_range', 'brin_desummarize_range', 'gin_clean_pending_list', 'heap_force_kill', 'heap_force_freeze',
      'pg_notify', 'pg_export_snapshot', 'pg_wal_replay_pause', 'pg_wal_replay_resume', 'pg_sequence_last_value_set',
    ],
    prefixes: ['pg_stat_reset', 'pg_stat_statements_reset', 'binary_upgrade_', 'autoprewarm_', 'pg_wal_replay_'],
  },
  {
    why: 'changes session settings',
    names: ['set_config'],
  },
  {
    why: 'takes advisory locks',
    prefixes: ['pg_advisory_', 'pg_try_advisory_'],
  },
  {
    why: 'changes sequences',
    names: ['nextval', 'setval'],
  },
  {
    why: 'manages replication slots or origins',
    prefixes: ['pg_create_', 'pg_drop_', 'pg_copy_', 'pg_replication_', 'pg_logical_'],
  },
  {
    why: 'opens connections or runs work outside this transaction',
    prefixes: ['dblink', 'pg_background', 'http', 'hypopg'],
    names: ['schedule', 'schedule_in_database', 'unschedule', 'alter_job'],
  },
  {
    why: 'runs SQL text of its own, which this check cannot see',
    names: ['query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema', 'ts_stat', 'ts_rewrite', 'connectby'],
    prefixes: ['crosstab'],
  },
];

/** Schemas all of whose functions are refused (extensions that reach outside the database or schedule jobs). */
const DENIED_SCHEMAS = new Set(['dblink', 'cron', 'aws_s3', 'aws_commons', 'aws_lambda', 'pg_background']);

const EXACT = new Map<string, string>();
const PREFIXES: { prefix: string; why: string }[] = [];
for (const group of GROUPS) {
  for (const name of group.names ?? []) EXACT.set(name, group.why);
  for (const prefix of group.prefixes ?? []) PREFIXES.push({ prefix, why: group.why });
}

/** Why a call of `name` (optionally schema-qualified) is refused, or undefined when it is allowed. */
export function deniedFunction(qualified: string[]): string | undefined {
  const name = qualified[qualified.length - 1]?.toLowerCase() ?? '';
  const schema = qualified.length > 1 ? qualified[qualified.length - 2].toLowerCase() : undefined;
  if (schema && DENIED_SCHEMAS.has(schema)) return `functions of schema ${schema} are refused`;
  const exact = EXACT.get(name);
  if (exact) return `${name}() ${exact}`;
  const prefixed = PREFIXES.find((p) => name.startsWith(p.prefix));
  return prefixed ? `${name}() ${prefixed.why}` : undefined;
}
