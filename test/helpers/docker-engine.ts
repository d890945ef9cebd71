/**
 * The real Docker Engine the docker plugin's tests talk to, and the test image they run: a rootfs of
 * Debian's busybox-static imported with `docker import` semantics (no registry needed), tagged
 * `mcp-host-test/busybox:1`. Every container a suite creates carries the suite's label (and those the
 * plugin creates, the instance's label), so cleanup removes exactly what the suite made.
 * Where no Engine answers, tests skip locally but FAIL under CI (`.ci/docker-setup.sh` starts one).
 */
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';

export const TEST_IMAGE = 'mcp-host-test/busybox:1';
export const SUITE_LABEL = 'mcp-host-test';
const INSTANCE_LABEL = 'io.mcp-host.instance';
const APPLETS = ['sh', 'echo', 'sleep', 'cat', 'yes', 'head', 'tail', 'seq', 'env', 'ls', 'kill', 'true', 'false', 'printf', 'tr', 'wc', 'id', 'ps', 'dd', 'timeout', 'touch', 'mkdir'];

export interface DockerEngine {
  socketPath: string;
  docker: Docker;
  /** A label value unique to this suite; every container it creates carries SUITE_LABEL=<suite>. */
  suite: string;
  /** A unique, valid instance name with this prefix (its containers are cleaned up with the suite's). */
  instanceName(prefix: string): string;
  /** A unique container name with this prefix. */
  name(prefix: string): string;
  /** Creates (and by default starts) a container directly, not through the plugin: it is unmanaged. */
  run(options: { name?: string; cmd: string[]; tty?: boolean; start?: boolean; env?: string[]; labels?: Record<string, string> }): Promise<{ id: string; name: string }>;
  /** The container, or undefined when it does not exist. */
  find(idOrName: string): Promise<Docker.ContainerInspectInfo | undefined>;
  /** Containers (any state) carrying a label, e.g. this suite's or an instance's. */
  withLabel(label: string): Promise<Docker.ContainerInfo[]>;
  /** Waits (bounded) until the container has exited. */
  waitExit(id: string, timeoutMs?: number): Promise<void>;
  /** Removes every container of this suite and of the instances named through instanceName(). */
  cleanup(): Promise<void>;
}

function socketFromEnv(): string {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  return '/var/run/docker.sock';
}

async function ping(docker: Docker): Promise<boolean> {
  try {
    await Promise.race([docker.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000))]);
    return true;
  } catch {
    return false;
  }
}

/** A statically linked busybox (a dynamic one cannot run in an empty rootfs). */
export function findStaticBusybox(): string | undefined {
  for (const path of ['/bin/busybox', '/usr/bin/busybox', '/usr/local/bin/busybox']) {
    if (!existsSync(path)) continue;
    // ELF64 program headers: a PT_INTERP entry (type 3) means dynamically linked.
    const fd = openSync(path, 'r');
    try {
      const header = Buffer.alloc(64);
      readSync(fd, header, 0, 64, 0);
      if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2) continue;
      const phoff = Number(header.readBigUInt64LE(32));
      const phentsize = header.readUInt16LE(54);
      const phnum = header.readUInt16LE(56);
      const table = Buffer.alloc(phentsize * phnum);
      readSync(fd, table, 0, table.length, phoff);
      let dynamic = false;
      for (let i = 0; i < phnum; i++) if (table.readUInt32LE(i * phentsize) === 3) dynamic = true;
      if (!dynamic) return path;
    } finally {
      closeSync(fd);
    }
  }
  return undefined;
}

async function drain(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch {
    return false;
  }
}

async function importImage(docker: Docker, busybox: string): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'mcp-host-rootfs-'));
  try {
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'tmp'));
    copyFileSync(busybox, join(root, 'bin', 'busybox'));
    for (const applet of APPLETS) symlinkSync('busybox', join(root, 'bin', applet));
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = TEST_IMAGE.split(':');
    const progress = await docker.importImage(tar.stdout as unknown as string, { repo, tag, changes: [`LABEL ${SUITE_LABEL}=image`, 'ENV PATH=/bin', 'CMD ["/bin/sh"]'] } as object);
    const text = await drain(progress);
    if (/"error"/.test(text)) throw new Error(`docker import failed: ${text}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Builds the test image once per machine (a lock folder keeps parallel suites from importing it twice). */
async function ensureTestImage(docker: Docker): Promise<void> {
  if (await imageExists(docker, TEST_IMAGE)) return;
  const busybox = findStaticBusybox();
  if (!busybox) throw new Error('a statically linked busybox is needed to build the test image (Debian: apt-get install busybox-static)');
  const lock = join(tmpdir(), 'mcp-host-test-image.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (await imageExists(docker, TEST_IMAGE)) return;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (!(await imageExists(docker, TEST_IMAGE))) await importImage(docker, busybox);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function unique(): string {
  return `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * The Engine and test image, or undefined (tests skip) when no Engine answers outside CI.
 * Under CI a missing Engine throws, so the suite fails instead of skipping.
 */
export async function findDockerEngine(): Promise<DockerEngine | undefined> {
  const socketPath = socketFromEnv();
  const docker = new Docker({ socketPath });
  if (!existsSync(socketPath) || !(await ping(docker))) {
    if (process.env.CI) throw new Error(`no Docker Engine answers at ${socketPath}; .ci/docker-setup.sh should have started one`);
    return undefined;
  }
  await ensureTestImage(docker);
  const suite = `s${unique()}`;
  const instances: string[] = [];
  const engine: DockerEngine = {
    socketPath,
    docker,
    suite,
    instanceName: (prefix) => {
      const name = `${prefix}${unique()}`;
      instances.push(name);
      return name;
    },
    name: (prefix) => `mcp-test-${prefix}-${unique()}`,
    run: async ({ name, cmd, tty = false, start = true, env, labels }) => {
      const container = await docker.createContainer({
        name: name ?? engine.name('direct'),
        Image: TEST_IMAGE,
        Cmd: cmd,
        Tty: tty,
        Env: env,
        Labels: { [SUITE_LABEL]: suite, ...labels },
        HostConfig: { Memory: 128 * 1024 * 1024, PidsLimit: 64 },
      });
      if (start) await container.start();
      const info = await container.inspect();
      return { id: info.Id, name: info.Name.replace(/^\//, '') };
    },
    find: async (idOrName) => {
      try {
        return await docker.getContainer(idOrName).inspect();
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    },
    withLabel: (label) => docker.listContainers({ all: true, filters: { label: [label] } }),
    waitExit: async (id, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const info = await docker.getContainer(id).inspect();
        if (!info.State.Running) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`container ${id} still running after ${timeoutMs} ms`);
    },
    cleanup: async () => {
      const labels = [`${SUITE_LABEL}=${suite}`, ...instances.map((i) => `${INSTANCE_LABEL}=${i}`)];
      for (const label of labels) {
        for (const c of await engine.withLabel(label)) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {});
      }
    },
  };
  return engine;
}
