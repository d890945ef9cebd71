import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/** Variables from a `.env` file; an absent file gives none. */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return parseEnv(text) as Record<string, string>;
}
