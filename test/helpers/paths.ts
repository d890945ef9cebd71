import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built daemon; `npm test` builds it first. */
export const daemonEntry = join(repoRoot, 'dist', 'cli', 'mcp-host.js');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
