import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A server process and everything it starts (npx → sh → node, uvx → python), reaped as one.
 *
 * POSIX: the server is spawned detached, i.e. as the leader of its own process group, which its
 * children and grandchildren inherit; stop signals the whole group (SIGTERM, then SIGKILL after a
 * grace). If the host exits without stopping it, an `exit` hook SIGKILLs the group. If the host is
 * killed outright (SIGKILL, OOM), a guard does it: a tiny `sh` in its own group whose stdin is a pipe
 * from the host; when the host dies the pipe closes, `read` returns and the guard kills the group.
 *
 * Windows has no process groups: the tree is ended with `taskkill /T /F` (no guard there).
 */
export interface ProcessTree {
  readonly child: ChildProcess;
  /** Ends the whole tree: SIGTERM, then SIGKILL once `graceMs` passed; resolves when no process of the group is left (or after the SIGKILL). */
  kill(graceMs: number): Promise<void>;
}

const GUARD_SCRIPT = [
  "trap '' INT TERM HUP",
  'while read -r _; do :; done',
  'kill -s TERM -- "-$1" 2>/dev/null || exit 0',
  'sleep 1',
  'kill -s KILL -- "-$1" 2>/dev/null',
].join('\n');

/** Groups and guards still alive in this process, shared by every copy of this module (reloads import it again). */
interface LiveSet {
  groups: Set<number>;
  guards: Set<ChildProcess>;
}
const LIVE_KEY = Symbol.for('mcp-plugin-host.mcp-server.live-process-groups');

function liveSet(): LiveSet {
  const holder = globalThis as unknown as Record<symbol, LiveSet | undefined>;
  let live = holder[LIVE_KEY];
  if (!live) {
    live = { groups: new Set(), guards: new Set() };
    holder[LIVE_KEY] = live;
    const set = live;
    // `exit` handlers must be synchronous: process.kill is.
    process.on('exit', () => {
      for (const pgid of set.groups) signalGroup(pgid, 'SIGKILL');
      for (const guard of set.guards) guard.kill('SIGKILL');
    });
  }
  return live;
}

export interface SpawnOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/** Spawns the server; resolves once it runs, rejects if it cannot start (ENOENT, EACCES). */
export function spawnTree(options: SpawnOptions): Promise<ProcessTree> {
  const windows = process.platform === 'win32';
  // npx, uvx and friends are .cmd shims on Windows, which only a shell runs; the shell gets the arguments quoted.
  const shell = windows && !/\.(exe|com)$/i.test(options.command);
  const child = spawn(shell ? quoteForCmd(options.command) : options.command, shell ? options.args.map(quoteForCmd) : options.args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: !windows,
    windowsHide: true,
    shell,
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => {
      child.off('error', reject);
      resolve(windows ? windowsTree(child) : posixTree(child));
    });
  });
}

function posixTree(child: ChildProcess): ProcessTree {
  const pgid = child.pid!;
  const live = liveSet();
  live.groups.add(pgid);
  const guard = startGuard(pgid);
  if (guard) live.guards.add(guard);
  let killing: Promise<void> | undefined;
  const release = () => {
    live.groups.delete(pgid);
    if (guard) {
      live.guards.delete(guard);
      guard.kill('SIGKILL');
    }
  };
  return {
    child,
    kill: (graceMs) =>
      (killing ??= (async () => {
        child.stdin?.destroy();
        signalGroup(pgid, 'SIGTERM');
        const deadline = Date.now() + graceMs;
        while (groupAlive(pgid) && Date.now() < deadline) await sleep(25);
        if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
        release();
      })()),
  };
}

function windowsTree(child: ChildProcess): ProcessTree {
  let killing: Promise<void> | undefined;
  return {
    child,
    kill: () =>
      (killing ??= new Promise<void>((resolve) => {
        child.stdin?.destroy();
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const taskkill = spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
        taskkill.once('error', () => resolve());
        taskkill.once('exit', () => resolve());
      })),
  };
}

/** The guard for `pgid` (undefined if sh cannot be started: the exit hook still covers a normal exit). */
function startGuard(pgid: number): ChildProcess | undefined {
  try {
    const guard = spawn('/bin/sh', ['-c', GUARD_SCRIPT, 'mcp-host-guard', String(pgid)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    guard.on('error', () => {});
    guard.stdin?.on('error', () => {});
    // The guard must not keep the host's event loop alive.
    guard.unref();
    (guard.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return guard;
  } catch {
    return undefined;
  }
}

/** One argument for cmd.exe: quoted when it holds spaces or characters cmd would interpret. */
function quoteForCmd(arg: string): string {
  return arg === '' || /[\s"&|<>^()%!]/.test(arg) ? `"${arg.replace(/"/g, '""')}"` : arg;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** True while any process of the group exists (zombies included; the wait is bounded anyway). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
