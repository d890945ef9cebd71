/**
 * A lazy pg pool: nothing connects until a tool needs the database, so the daemon starts and lists
 * tools while PostgreSQL is down. Connection failures become one clear message naming host and port
 * (never the password); the next call simply tries again, so the instance recovers on its own.
 */
import { readFileSync } from 'node:fs';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import pg from 'pg';
import type { PluginContext } from '../../core/api/index.js';
import type { PostgresConfig } from './config.js';
import { typeParsers } from './pg-types.js';
import { describeTarget, scrub, targetLabel, type Target } from './target.js';

export class DatabaseUnavailable extends Error {}

/** libpq/pg connection-string parameters about TLS: the `ssl` option decides instead of them. */
const SSL_PARAMS = new Set(['ssl', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat']);

/** The connection string without its TLS query parameters; the rest stays byte for byte. */
export function withoutSslParams(connectionString: string): string {
  const start = connectionString.indexOf('?');
  if (start < 0) return connectionString;
  const hash = connectionString.indexOf('#', start);
  const end = hash < 0 ? connectionString.length : hash;
  const kept = connectionString
    .slice(start + 1, end)
    .split('&')
    .filter((pair) => {
      const key = pair.split('=')[0];
      let name = key;
      try {
        name = decodeURIComponent(key.replace(/\+/g, ' '));
      } catch {
        // keep the raw key
      }
      return pair !== '' && !SSL_PARAMS.has(name);
    });
  return `${connectionString.slice(0, start)}${kept.length ? `?${kept.join('&')}` : ''}${connectionString.slice(end)}`;
}

export class LazyPool {
  readonly target: Target;
  private pool: pg.Pool | undefined;
  private connectedOnce = false;
  private closed = false;
  private readonly onFirstConnect: (client: pg.PoolClient) => Promise<void>;

  constructor(
    private readonly ctx: PluginContext<PostgresConfig>,
    onFirstConnect: (client: pg.PoolClient) => Promise<void>,
  ) {
    this.target = describeTarget(ctx.config.connectionString);
    this.onFirstConnect = onFirstConnect;
  }

  label(): string {
    return targetLabel(this.target);
  }

  /** Scrubs secrets from a message that came from pg or the server. */
  scrub(message: string): string {
    return scrub(message, this.target, this.ctx.config.connectionString);
  }

  private create(): pg.Pool {
    const { config } = this.ctx;
    const pool = new pg.Pool({
      // pg lets the connection string's ssl parameters replace the `ssl` option, so they go when it is set.
      connectionString: config.ssl ? withoutSslParams(config.connectionString) : config.connectionString,
      max: config.pool.max,
      idleTimeoutMillis: config.pool.idleTimeoutMs,
      connectionTimeoutMillis: config.pool.connectionTimeoutMs,
      application_name: `mcp-host/${this.ctx.instanceId}`,
      types: typeParsers,
      ...(config.ssl ? { ssl: this.sslOptions(config.ssl) } : {}),
    });
    // An idle connection that dies (server restart) must not crash the daemon; the pool drops it.
    pool.on('error', (error) => this.ctx.logger.warn('idle PostgreSQL connection closed', { error: this.scrub(error.message) }));
    return pool;
  }

  private sslOptions(ssl: NonNullable<PostgresConfig['ssl']>): pg.PoolConfig['ssl'] {
    if (ssl.mode === 'disable') return false;
    const read = (option: 'caFile' | 'certFile' | 'keyFile') => {
      const path = ssl[option];
      if (!path) return undefined;
      try {
        return readFileSync(this.ctx.resolvePath(path), 'utf8');
      } catch (error) {
        throw new DatabaseUnavailable(`cannot connect to ${this.label()}: cannot read ssl.${option}: ${this.scrub((error as Error).message)}`);
      }
    };
    return {
      rejectUnauthorized: ssl.mode === 'verify-full',
      ca: read('caFile'),
      cert: read('certFile'),
      key: read('keyFile'),
      servername: ssl.servername,
      // pg replaces `servername` with the host when the host is a name, so check the certificate here.
      ...(ssl.servername ? { checkServerIdentity: (_host: string, cert: PeerCertificate) => checkServerIdentity(ssl.servername!, cert) } : {}),
    };
  }

  /** A connection, or DatabaseUnavailable saying where it tried. */
  async checkout(): Promise<pg.PoolClient> {
    // After stop, a late call must not open a new pool that nothing would close.
    if (this.closed) throw new DatabaseUnavailable(`${this.label()}: this instance has stopped`);
    this.pool ??= this.create();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      const why = err.code && !/^\d/.test(err.code) ? `${err.code}: ${err.message}` : err.message;
      throw new DatabaseUnavailable(`cannot connect to ${this.label()}: ${this.scrub(why)}`);
    }
    if (!this.connectedOnce) {
      this.connectedOnce = true;
      await this.onFirstConnect(client).catch((error: Error) => this.ctx.logger.warn('role check failed', { error: this.scrub(error.message) }));
    }
    return client;
  }

  async end(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}
