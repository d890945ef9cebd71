/**
 * A throwaway PostgreSQL server from the machine's own binaries: a temp data folder, a free port,
 * the unix socket inside the temp folder. initdb refuses to run as root, so as root the server runs as
 * the `postgres` system user. Where PostgreSQL is missing, tests skip locally but FAIL under CI
 * (`.ci/run` installs it).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const SUPERUSER_PASSWORD = 'pg-test-secret-Zq9';
export const READER_PASSWORD = 'reader-secret-Xk4';

export interface PostgresServer {
  port: number;
  dir: string;
  socketDir: string;
  /** postgres://postgres:<password>@127.0.0.1:<port>/<database> — the superuser. */
  url(database?: string, user?: string, password?: string): string;
  /** Runs SQL as the superuser on a fresh connection (over the unix socket, trust auth). */
  sql<R = any>(text: string, params?: unknown[], database?: string): Promise<R[]>;
  createDatabase(name: string): Promise<void>;
  stop(): void;
  start(): void;
  /** Stops the server and removes the data folder. */
  destroy(): void;
}

/** The folder holding initdb/pg_ctl, or undefined when PostgreSQL is not installed. */
export function findPostgresBin(): string | undefined {
  const candidates: string[] = [];
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const version of readdirSync(root).sort((a, b) => Number(b) - Number(a))) candidates.push(join(root, version, 'bin'));
  }
  candidates.push('/usr/local/pgsql/bin', '/usr/local/bin', '/usr/bin', '/opt/homebrew/bin');
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function runAsOwner(bin: string, args: string[]): string {
  const [cmd, full] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, full, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

export interface StartOptions {
  /**
   * TLS on: the PEM certificate and key are copied into the server's folder (the key mode 0600, owned by
   * the user the server runs as) and set as `ssl_cert_file` / `ssl_key_file` with `ssl = on`.
   */
  ssl?: {
    certFile: string;
    keyFile: string;
    /** Set as `ssl_ca_file`: the CA whose client certificates pg_hba's `cert` method accepts. */
    caFile?: string;
  };
  /**
   * Lines that replace pg_hba.conf. Keep a `local all all trust` line: `sql()` connects over the unix
   * socket. Without this option initdb's pg_hba.conf stays (local trust, host scram-sha-256).
   */
  hba?: string[];
}

/** Copies the certificate and key next to the data folder and turns TLS on in postgresql.conf. */
function configureTls(dir: string, data: string, ssl: NonNullable<StartOptions['ssl']>): void {
  const tls = join(dir, 'tls');
  mkdirSync(tls);
  const cert = join(tls, 'server.crt');
  const key = join(tls, 'server.key');
  const ca = join(tls, 'client-ca.crt');
  copyFileSync(ssl.certFile, cert);
  copyFileSync(ssl.keyFile, key);
  if (ssl.caFile) copyFileSync(ssl.caFile, ca);
  // PostgreSQL refuses a key file that group or others may read, or that another user owns.
  chmodSync(key, 0o600);
  if (isRoot) {
    const { uid, gid } = postgresIds();
    for (const path of [tls, cert, key, ...(ssl.caFile ? [ca] : [])]) chownSync(path, uid, gid);
  }
  const quote = (path: string) => `'${path.replace(/'/g, "''")}'`;
  const caLine = ssl.caFile ? `ssl_ca_file = ${quote(ca)}\n` : '';
  appendFileSync(join(data, 'postgresql.conf'), `\nssl = on\nssl_cert_file = ${quote(cert)}\nssl_key_file = ${quote(key)}\n${caLine}`);
}

/**
 * Starts a server, or returns undefined when PostgreSQL is not installed and we are not in CI.
 * Under CI a missing or failing PostgreSQL throws, so the suite fails instead of skipping.
 */
export async function startPostgres(startOptions: StartOptions = {}): Promise<PostgresServer | undefined> {
  const bin = findPostgresBin();
  if (!bin) {
    if (process.env.CI) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found; .ci/run should have installed them');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mcp-host-pg-'));
  const data = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${SUPERUSER_PASSWORD}\n`);
  execFileSync('mkdir', ['-p', socketDir]);
  if (isRoot) {
    const { uid, gid } = postgresIds();
    chmodSync(dir, 0o755);
    for (const path of [dir, socketDir, pwfile]) chownSync(path, uid, gid);
  }
  const port = await freePort();
  runAsOwner(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync', '--locale=C']);
  if (startOptions.ssl) configureTls(dir, data, startOptions.ssl);
  if (startOptions.hba) writeFileSync(join(data, 'pg_hba.conf'), `${startOptions.hba.join('\n')}\n`);
  const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`;
  const start = () => void runAsOwner(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '60', 'start']);
  const stop = () => {
    try {
      runAsOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
    } catch {
      // already stopped
    }
  };
  start();
  const sql = async <R>(text: string, params?: unknown[], database = 'postgres'): Promise<R[]> => {
    const client = new pg.Client({ host: socketDir, port, user: 'postgres', database });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as R[];
    } finally {
      await client.end();
    }
  };
  return {
    port,
    dir,
    socketDir,
    url: (database = 'postgres', user = 'postgres', password = SUPERUSER_PASSWORD) =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    sql,
    createDatabase: async (name) => void (await sql(`CREATE DATABASE ${name}`)),
    stop,
    start,
    destroy: () => {
      stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
