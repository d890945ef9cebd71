/**
 * At the first connection: warn (log and host__status) when the role is a superuser or may read/write
 * server files or run programs. Every layer still applies, but the role is the last line of defence.
 */
import type pg from 'pg';
import type { PluginContext } from '../../core/api/index.js';
import type { PostgresConfig } from './config.js';

const ROLE_SQL = `SELECT current_user AS role, r.rolsuper AS superuser,
  pg_has_role(current_user, 'pg_read_server_files', 'MEMBER') AS read_files,
  pg_has_role(current_user, 'pg_write_server_files', 'MEMBER') AS write_files,
  pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER') AS programs
FROM pg_roles r WHERE r.rolname = current_user`;

export async function checkRole(ctx: PluginContext<PostgresConfig>, client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query(ROLE_SQL);
  const row = rows[0] as { role: string; superuser: boolean; read_files: boolean; write_files: boolean; programs: boolean } | undefined;
  if (!row) return;
  const powers = [
    row.superuser && 'is a superuser',
    !row.superuser && row.read_files && 'may read server files (pg_read_server_files)',
    !row.superuser && row.write_files && 'may write server files (pg_write_server_files)',
    !row.superuser && row.programs && 'may run server programs (pg_execute_server_program)',
  ].filter(Boolean);
  ctx.status.clear();
  if (powers.length === 0) return;
  const message =
    `connected as role "${row.role}", which ${powers.join(', ')}; the read-only layers still apply, ` +
    'but use a dedicated read-only role (e.g. GRANT pg_read_all_data) so the database itself refuses writes';
  ctx.logger.warn(message);
  ctx.status.warn(message);
}
