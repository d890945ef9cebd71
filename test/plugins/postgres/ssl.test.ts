// The postgres plugin's `ssl` option ({mode: disable | require | verify-full, caFile, certFile, keyFile,
// servername}) against a real PostgreSQL with TLS on. A throwaway CA signs the server certificate (names
// localhost and db.mcp-host.test, NOT the IP 127.0.0.1); a second, unrelated CA is the "wrong CA"; a
// third signs a client certificate for the role postgres (kept apart from the server's CA, which the
// server would otherwise send along in its chain). pg_hba.conf takes TLS from 127.0.0.1 for every
// database (database "certdb" by client certificate only) and plain TCP only for database "plain", so a
// connection that claims TLS but is not encrypted is refused by the server. Every TLS test reads
// pg_stat_ssl for its own backend to prove the connection really is encrypted.
//
// Also the connection string's own sslmode when the option is absent, as node-postgres 8 reads it:
// sslmode=require (and prefer, verify-ca) mean verify-full there, unlike libpq, unless
// uselibpqcompat=true; sslmode=no-verify is TLS without any check.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutSslParams } from '../../../plugins/postgres/pool.js';
import { hostStatus } from '../../helpers/host-status.js';
import { call } from '../../helpers/postgres-fixture.js';
import { startPostgres, SUPERUSER_PASSWORD, type PostgresServer } from '../../helpers/postgres-server.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../../helpers/spawn-host.js';

interface Certificates {
  dir: string;
  ca: string;
  otherCa: string;
  clientCa: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** A CA, a server certificate it signs, and an unrelated CA, made with the openssl command. */
function makeCertificates(): Certificates | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    if (process.env.CI) throw new Error('the openssl command is missing (Debian package "openssl"); the TLS tests need it');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mcp-host-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const caExt = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  openssl('req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=mcp-host test CA', ...caExt);
  openssl('req', '-x509', ...ecKey, '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '2', '-subj', '/CN=unrelated test CA', ...caExt);
  openssl('req', '-x509', ...ecKey, '-keyout', 'client-ca.key', '-out', 'client-ca.crt', '-days', '2', '-subj', '/CN=client test CA', ...caExt);
  openssl('req', '-new', ...ecKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,DNS:db.mcp-host.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', '2', '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt');
  openssl('req', '-new', ...ecKey, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=postgres');
  writeFileSync(join(dir, 'client.ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  openssl('x509', '-req', '-in', 'client.csr', '-CA', 'client-ca.crt', '-CAkey', 'client-ca.key', '-set_serial', '3', '-days', '2', '-extfile', 'client.ext', '-out', 'client.crt');
  const file = (name: string) => join(dir, name);
  return {
    dir,
    ca: file('ca.crt'),
    otherCa: file('other-ca.crt'),
    clientCa: file('client-ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
  };
}

const certs = makeCertificates();
const server = certs
  ? await startPostgres({
      ssl: { certFile: certs.serverCert, keyFile: certs.serverKey, caFile: certs.clientCa },
      hba: [
        'local all all trust',
        'hostnossl plain all 127.0.0.1/32 scram-sha-256',
        'hostnossl all all 127.0.0.1/32 reject',
        'hostssl certdb all 127.0.0.1/32 cert',
        'hostssl all all 127.0.0.1/32 scram-sha-256',
      ],
    })
  : undefined;

const SSL_SQL = 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()';

describe('withoutSslParams', () => {
  it('drops only the TLS parameters and leaves the rest of the connection string as it was', () => {
    expect(withoutSslParams('postgres://u:p%3Fw@h:5/db?sslmode=require')).toBe('postgres://u:p%3Fw@h:5/db');
    expect(withoutSslParams('postgres://u@h/db?application_name=a%20b&sslmode=no-verify&sslrootcert=%2Fca&options=-c%20x%3D1&ssl=true&uselibpqcompat=true')).toBe(
      'postgres://u@h/db?application_name=a%20b&options=-c%20x%3D1',
    );
    expect(withoutSslParams('postgres://u@h/db?ssl%6Dode=disable&sslcert=c&sslkey=k&connect_timeout=3')).toBe('postgres://u@h/db?connect_timeout=3');
    expect(withoutSslParams('postgres://u@h/db')).toBe('postgres://u@h/db');
    expect(withoutSslParams('/var/run/postgresql db')).toBe('/var/run/postgresql db');
  });
});

describe.skipIf(!server)('postgres ssl option against a TLS server', () => {
  const pgServer = server as PostgresServer;
  const tls = certs as Certificates;
  let host: HostUnderTest;
  /** postgres://postgres:<password>@<host>:<port>/<database><query> */
  const url = (hostName: '127.0.0.1' | 'localhost', query = '', database = 'postgres') =>
    pgServer.url(database).replace('@127.0.0.1:', `@${hostName}:`) + query;
  const missingCa = () => join(tls.dir, 'no-such-ca.pem');

  beforeAll(async () => {
    await pgServer.createDatabase('plain');
    await pgServer.createDatabase('certdb');
    const noPassword = `postgres://postgres@localhost:${pgServer.port}/certdb`;
    const instances: Record<string, Record<string, unknown>> = {
      // 1. require: TLS without checking the certificate (the IP is not in it, the CA is unknown).
      req: { connectionString: url('127.0.0.1'), ssl: { mode: 'require' } },
      // 2. verify-full with the CA; caFile relative to plugins.json's folder.
      full: { connectionString: url('localhost'), ssl: { mode: 'verify-full', caFile: 'ca.crt' } },
      ip: { connectionString: url('127.0.0.1'), ssl: { mode: 'verify-full', caFile: tls.ca } },
      named: { connectionString: url('127.0.0.1'), ssl: { mode: 'verify-full', caFile: tls.ca, servername: 'db.mcp-host.test' } },
      // 3. the wrong CA.
      wrongca: { connectionString: url('localhost'), ssl: { mode: 'verify-full', caFile: tls.otherCa } },
      // 4. a servername the certificate does not name, with an IP host and with a name host.
      badname: { connectionString: url('127.0.0.1'), ssl: { mode: 'verify-full', caFile: tls.ca, servername: 'wrong.example' } },
      badnamelh: { connectionString: url('localhost'), ssl: { mode: 'verify-full', caFile: tls.ca, servername: 'wrong.example' } },
      // 5. disable: refused where the server wants TLS, plain where it allows it.
      plain: { connectionString: url('127.0.0.1'), ssl: { mode: 'disable' } },
      plainok: { connectionString: url('127.0.0.1', '', 'plain'), ssl: { mode: 'disable' } },
      // certFile/keyFile: a client certificate is the only way into database certdb.
      clientcert: { connectionString: noPassword, ssl: { mode: 'verify-full', caFile: tls.ca, certFile: tls.clientCert, keyFile: tls.clientKey } },
      nocert: { connectionString: noPassword, ssl: { mode: 'verify-full', caFile: tls.ca } },
      // 6. a CA file that does not exist.
      nofile: { connectionString: url('localhost'), ssl: { mode: 'verify-full', caFile: missingCa() } },
      // The connection string alone decides when the option is absent.
      csrequire: { connectionString: url('localhost', '?sslmode=require') },
      cscompat: { connectionString: url('127.0.0.1', '?sslmode=require&uselibpqcompat=true') },
      csnoverify: { connectionString: url('127.0.0.1', '?sslmode=no-verify') },
      csfull: { connectionString: url('localhost', `?sslmode=verify-full&sslrootcert=${encodeURIComponent(tls.ca)}`) },
      // The option, when present, wins over the connection string's sslmode.
      optstrict: { connectionString: url('localhost', '?sslmode=no-verify'), ssl: { mode: 'verify-full', caFile: tls.otherCa } },
      optlax: { connectionString: url('127.0.0.1', '?application_name=x&sslmode=verify-full'), ssl: { mode: 'require' } },
      optoff: { connectionString: url('127.0.0.1', '?sslmode=require', 'plain'), ssl: { mode: 'disable' } },
    };
    const plugins = Object.fromEntries(Object.entries(instances).map(([name, config]) => [name, { plugin: 'postgres', config }]));
    host = await spawnHost({ configPath: writeConfig({ plugins }, tls.dir) });
  });
  afterAll(async () => {
    await host?.close();
    pgServer.destroy();
    rmSync(tls.dir, { recursive: true, force: true });
  });

  async function expectEncrypted(instance: string, encrypted = true): Promise<void> {
    const result = await call(host.client, `${instance}__query`, { sql: SSL_SQL });
    expect(result.text).not.toContain(SUPERUSER_PASSWORD);
    expect(result.isError, result.text).toBe(false);
    expect(result.structured.rows).toEqual([[encrypted]]);
  }

  async function expectRefused(instance: string, hostName: string): Promise<string> {
    const result = await call(host.client, `${instance}__query`, { sql: SSL_SQL });
    expect(result.isError, result.text).toBe(true);
    expect(result.text).toContain(`cannot connect to PostgreSQL at ${hostName}:${pgServer.port}`);
    expect(result.text).not.toContain(SUPERUSER_PASSWORD);
    expect(result.text).not.toMatch(/\n\s+at /);
    return result.text;
  }

  it('mode require connects over TLS without checking the certificate', async () => {
    await expectEncrypted('req');
  });

  it('mode verify-full with the CA connects over TLS (caFile resolved against the config folder)', async () => {
    await expectEncrypted('full');
  });

  it('mode verify-full checks the host name: an IP the certificate does not name is refused, servername fixes it', async () => {
    const text = await expectRefused('ip', '127.0.0.1');
    expect(text).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID: .*IP: 127\.0\.0\.1 is not in the cert's list/);
    await expectEncrypted('named');
  });

  it('mode verify-full with an unrelated CA is refused as a certificate problem; the daemon keeps serving', async () => {
    const text = await expectRefused('wrongca', 'localhost');
    expect(text).toContain('(database "postgres", user "postgres"): UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate');
    const status = await hostStatus(host.client);
    expect(status.byId('wrongca').state).toBe('serving');
    await expectEncrypted('req');
  });

  it('mode verify-full with a servername the certificate does not name is refused, whatever the host', async () => {
    for (const [instance, hostName] of [
      ['badname', '127.0.0.1'],
      ['badnamelh', 'localhost'],
    ]) {
      const text = await expectRefused(instance, hostName);
      expect(text).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID: .*Host: wrong\.example\. is not in the cert's altnames: DNS:localhost, DNS:db\.mcp-host\.test/);
    }
  });

  it('mode disable does not use TLS: the server refuses it where TLS is required, and serves it plain where allowed', async () => {
    const text = await expectRefused('plain', '127.0.0.1');
    expect(text).toContain('pg_hba.conf rejects connection for host "127.0.0.1", user "postgres", database "postgres", no encryption');
    await expectEncrypted('plainok', false);
  });

  it('certFile and keyFile log in with a client certificate; without them the server refuses', async () => {
    const result = await call(host.client, 'clientcert__query', { sql: 'SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()' });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured.rows).toEqual([[true, '/CN=postgres']]);
    const text = await expectRefused('nocert', 'localhost');
    expect(text).toContain('connection requires a valid client certificate');
  });

  it('a caFile that does not exist: the instance still starts, and each call says which file it cannot read', async () => {
    const status = await hostStatus(host.client);
    expect(status.byId('nofile').state).toBe('serving');
    for (let i = 0; i < 2; i++) {
      const text = await expectRefused('nofile', 'localhost');
      expect(text).toBe(
        `cannot connect to PostgreSQL at localhost:${pgServer.port} (database "postgres", user "postgres"): ` +
          `cannot read ssl.caFile: ENOENT: no such file or directory, open '${missingCa()}'`,
      );
    }
  });

  it("without the option, the connection string's sslmode decides, as node-postgres 8 reads it", async () => {
    // sslmode=require is verify-full in pg 8 (system CAs only), so this self-made CA is refused.
    const text = await expectRefused('csrequire', 'localhost');
    expect(text).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    // libpq's meaning (TLS, no check) needs uselibpqcompat=true; no-verify is TLS without any check.
    await expectEncrypted('cscompat');
    await expectEncrypted('csnoverify');
    await expectEncrypted('csfull');
  });

  it("the option, when present, wins over the connection string's sslmode", async () => {
    const text = await expectRefused('optstrict', 'localhost');
    expect(text).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    await expectEncrypted('optlax');
    await expectEncrypted('optoff', false);
  });

  it('never writes the password to stderr, and stdout stays JSON-RPC', () => {
    expect(host.stderr()).not.toContain(SUPERUSER_PASSWORD);
    expect(host.badStdout).toEqual([]);
  });
});
