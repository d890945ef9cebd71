import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Bearer-token check; compares digests so the time taken says nothing about the token. */
export function bearerCheck(token: string | undefined): (req: IncomingMessage) => boolean {
  if (!token) return () => true;
  const expected = createHash('sha256').update(token).digest();
  return (req) => {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) return false;
    return timingSafeEqual(createHash('sha256').update(match[1]).digest(), expected);
  };
}
