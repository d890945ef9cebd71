import { execFile } from 'node:child_process';
import { daemonEntry } from './paths.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `mcp-host` CLI (dist/core/cli/main.js) with child_process.execFile; never rejects on a non-zero exit. */
export function runCli(args: string[], options: { node?: string; cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      options.node ?? process.execPath,
      [daemonEntry, ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code !== 'number') return reject(error);
        resolve({ code: error ? Number((error as NodeJS.ErrnoException).code) : 0, stdout, stderr });
      },
    );
  });
}
