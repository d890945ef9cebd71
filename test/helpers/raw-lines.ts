import { spawn } from 'node:child_process';
import { daemonEntry } from './paths.js';

/**
 * The built daemon driven with raw stdin lines, for tests about malformed input. Each stdout line is
 * kept verbatim; `exchange` writes one line and resolves with the response carrying `id`
 * (`null` for input whose id could not be read), so a missing answer fails only its own test.
 */
export interface RawLines {
  /** Every stdout line so far, verbatim. */
  lines: string[];
  stderr(): string;
  exchange(line: string, id: string | number | null): Promise<any>;
  write(line: string): void;
  close(): Promise<void>;
}

export function spawnRawLines(options: { configPath: string; node?: string }): RawLines {
  const child = spawn(options.node ?? process.execPath, [daemonEntry, 'serve', '--config', options.configPath], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let waiters: { id: string | number | null; resolve: (message: unknown) => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buffer += d;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      let message: { id?: unknown } | undefined;
      try {
        message = JSON.parse(line);
      } catch {
        continue; // kept in `lines`; the test asserts every line parses
      }
      const waiter = waiters.find((w) => w.id === message?.id);
      if (waiter) {
        waiters = waiters.filter((w) => w !== waiter);
        waiter.resolve(message);
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const write = (line: string) => void child.stdin.write(line + '\n');
  return {
    lines,
    stderr: () => stderr,
    write,
    exchange: (line, id) => {
      const answer = new Promise((resolve, reject) => {
        waiters.push({ id, resolve });
        void exited.then(() => reject(new Error(`daemon exited before answering ${line}; stderr:\n${stderr}`)));
      });
      write(line);
      return answer;
    },
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
