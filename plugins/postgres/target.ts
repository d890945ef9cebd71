/**
 * Where the instance connects, for messages: host, port, database and user, never the password.
 */
import { parse } from 'pg-connection-string';

export interface Target {
  host: string;
  port: number;
  database: string;
  user: string;
  /** The password, kept only to scrub it from any message that might echo it. */
  secret?: string;
}

export function describeTarget(connectionString: string): Target {
  try {
    const p = parse(connectionString);
    return {
      host: p.host ?? 'localhost',
      port: p.port ? Number(p.port) : 5432,
      database: p.database ?? '',
      user: p.user ?? '',
      secret: p.password ?? undefined,
    };
  } catch {
    return { host: '(unparsable connection string)', port: 0, database: '', user: '' };
  }
}

export function targetLabel(t: Target): string {
  const where = t.host.startsWith('/') ? `socket ${t.host} port ${t.port}` : `${t.host}:${t.port}`;
  return `PostgreSQL at ${where}${t.database ? ` (database "${t.database}"${t.user ? `, user "${t.user}"` : ''})` : ''}`;
}

/** Removes the password and any full connection string from a message. */
export function scrub(message: string, t: Target, connectionString: string): string {
  let out = message.split(connectionString).join('<connection string>');
  if (t.secret) out = out.split(t.secret).join('***');
  for (const encoded of t.secret ? [encodeURIComponent(t.secret)] : []) out = out.split(encoded).join('***');
  return out;
}
