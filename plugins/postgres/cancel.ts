/**
 * Server-side cancellation: a CancelRequest on a fresh socket, as libpq's PQcancel sends it.
 * Abandoning a query on the client leaves it running on the server; this stops it there.
 */
import { connect, type Socket } from 'node:net';
import type pg from 'pg';

interface BackendKey {
  processID: number | null;
  secretKey: number | null;
  host: string;
  port: number;
}

export function cancelOnServer(client: pg.PoolClient): Promise<void> {
  const key = client as unknown as BackendKey;
  if (key.processID == null || key.secretKey == null) return Promise.resolve();
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(80877102, 4); // the CancelRequest code
  packet.writeInt32BE(key.processID, 8);
  packet.writeInt32BE(key.secretKey, 12);
  return new Promise((resolve) => {
    const socket: Socket = key.host.startsWith('/') ? connect(`${key.host}/.s.PGSQL.${key.port}`) : connect(key.port, key.host);
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(5000, done);
    socket.once('error', done);
    socket.once('close', done);
    socket.once('connect', () => socket.end(packet));
  });
}
