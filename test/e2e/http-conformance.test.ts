import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesDir, repoRoot } from '../helpers/paths.js';
import { spawnHttpHost, type HttpHost } from '../helpers/spawn-http-host.js';

// The official suite needs Node 22 (scripts/ensure-node22.mjs installs it into .cache/node22).
const node22 = join(repoRoot, '.cache', 'node22', 'node_modules', 'node', 'bin', 'node');
const cli = join(repoRoot, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
if (process.env.CI && !existsSync(node22)) throw new Error(`Node 22 missing at ${node22}: run node scripts/ensure-node22.mjs`);

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

describe.skipIf(!existsSync(node22) && !process.env.CI)('official MCP conformance suite against serve --http', () => {
  let host: HttpHost;

  beforeAll(async () => {
    host = await spawnHttpHost({ configPath: join(fixturesDir, 'conformance', 'plugins.json'), args: ['--no-watch'] });
  });
  afterAll(async () => {
    await host?.stop();
  });

  test('every active server scenario passes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mcp-host-conformance-'));
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(node22, [cli, 'server', '--url', host.url, '-o', out], { timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    // Every scenario's checks, read from the results folder: name each failure with its message.
    const scenarios = readdirSync(out);
    const failures: string[] = [];
    for (const folder of scenarios) {
      const checks = JSON.parse(readFileSync(join(out, folder, 'checks.json'), 'utf8')) as Check[];
      for (const check of checks) if (check.status === 'FAILURE') failures.push(`${folder}: ${check.id}: ${check.errorMessage ?? ''}`);
    }
    expect(failures, run.stdout + run.stderr).toEqual([]);
    expect(scenarios.length, run.stdout).toBeGreaterThanOrEqual(30);
    expect(run.stdout).toMatch(/Total: \d+ passed, 0 failed/);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  }, 300_000);
});
