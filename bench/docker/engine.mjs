// The Docker Engine side of the docker benchmark: the Engine's socket, the busybox image the tests use
// (built the same way as test/helpers/docker-engine.ts when missing: a rootfs of busybox-static imported,
// no registry needed), and labelled containers removed again at the end.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const Docker = require('dockerode');

export const BENCH_IMAGE = 'mcp-host-test/busybox:1';
export const BENCH_LABEL = 'mcp-host-bench';

export function socketPath() {
  const host = process.env.DOCKER_HOST;
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
}

export function connect() {
  return new Docker({ socketPath: socketPath() });
}

async function drain(stream) {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

export async function ensureImage(docker) {
  try {
    await docker.getImage(BENCH_IMAGE).inspect();
    return;
  } catch {
    // build it below
  }
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
  if (!busybox) throw new Error('busybox-static is needed to build the bench image (apt-get install busybox-static)');
  const root = mkdtempSync(join(tmpdir(), 'mcp-host-bench-rootfs-'));
  try {
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'tmp'));
    copyFileSync(busybox, join(root, 'bin', 'busybox'));
    for (const applet of ['sh', 'echo', 'sleep', 'cat', 'yes', 'head', 'tail', 'seq', 'true']) symlinkSync('busybox', join(root, 'bin', applet));
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = BENCH_IMAGE.split(':');
    const text = await drain(await docker.importImage(tar.stdout, { repo, tag, changes: ['LABEL mcp-host-test=image', 'ENV PATH=/bin', 'CMD ["/bin/sh"]'] }));
    if (/"error"/.test(text)) throw new Error(`docker import failed: ${text}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Creates `count` containers (not started) carrying BENCH_LABEL=run, `parallel` at a time. */
export async function createMany(docker, run, count, parallel = 8, progress = () => {}) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await docker.createContainer({ Image: BENCH_IMAGE, name: `mcp-bench-${run}-${i}`, Cmd: ['true'], Labels: { [BENCH_LABEL]: run } });
      if ((i + 1) % 50 === 0) progress(`created ${i + 1}/${count} containers`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

export async function removeLabelled(docker, run) {
  const list = await docker.listContainers({ all: true, filters: { label: [`${BENCH_LABEL}=${run}`] } });
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const c = list[next++];
      await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {});
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return list.length;
}

export async function waitExit(docker, id, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await docker.getContainer(id).inspect()).State.Running) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`container ${id} still running after ${timeoutMs} ms`);
}
