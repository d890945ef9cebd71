// A throwaway PostgreSQL for the benchmark (the same recipe as test/helpers/postgres-server.ts):
// the machine's binaries, a temp data folder, a free port; as root, the server runs as `postgres`.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PASSWORD = 'bench-secret';
const isRoot = process.getuid?.() === 0;

function findBin() {
  const root = '/usr/lib/postgresql';
  const candidates = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)).map((v) => join(root, v, 'bin')) : [];
  candidates.push('/usr/local/pgsql/bin', '/usr/local/bin', '/usr/bin');
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function run(bin, args) {
  const [cmd, full] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, full, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
}

export async function startBenchPostgres() {
  const bin = findBin();
  if (!bin) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'mcp-host-pg-bench-'));
  const data = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  mkdirSync(socketDir);
  writeFileSync(join(dir, 'pw'), `${PASSWORD}\n`);
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chmodSync(dir, 0o755);
    for (const path of [dir, socketDir, join(dir, 'pw')]) chownSync(path, uid, gid);
  }
  const port = await freePort();
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--pwfile', join(dir, 'pw'), '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync', '--locale=C']);
  const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '60', 'start']);
  const psql = (database, sql) => run(join(bin, 'psql'), ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql]);
  return {
    port,
    url: (database) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`,
    psql,
    /** The pids of the server's processes (the postmaster and its children: backends, background workers). */
    pids() {
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const pids = [postmaster];
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
          if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) pids.push(Number(entry));
        } catch {
          // gone meanwhile
        }
      }
      return pids;
    },
    destroy() {
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
