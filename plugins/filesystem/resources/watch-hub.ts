import { lstatSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

interface Watched {
  uri: string;
  name: string;
  signature: string;
}

interface FolderWatch {
  watcher: FSWatcher;
  files: Map<string, Watched>;
  timer?: NodeJS.Timeout;
  pending: Set<string>;
}

const SETTLE_MS = 40;

function signatureOf(path: string): string {
  try {
    const s = lstatSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * Watches subscribed files for changes on disk. It watches each file's folder rather than the file, so an
 * editor's save-by-rename (a new file renamed over the old) is seen too. Events settle briefly and a
 * file's size/mtime/inode is compared, so one save gives one update.
 */
export class WatchHub {
  private readonly folders = new Map<string, FolderWatch>();

  constructor(
    private readonly notify: (uri: string) => void,
    private readonly onError: (message: string) => void,
  ) {}

  add(real: string, uri: string): void {
    const folder = dirname(real);
    const name = basename(real);
    let entry = this.folders.get(folder);
    if (!entry) {
      const watcher = watch(folder, { persistent: false });
      const created: FolderWatch = { watcher, files: new Map(), pending: new Set() };
      watcher.on('change', (_event, filename) => this.onEvent(folder, created, filename?.toString()));
      watcher.on('error', (error) => {
        this.onError(`watching ${folder} failed: ${error.message}`);
        // A watched folder that vanished: tell every subscriber once, then drop the watch.
        for (const w of created.files.values()) this.notify(w.uri);
        this.closeFolder(folder);
      });
      this.folders.set(folder, (entry = created));
    }
    entry.files.set(name, { uri, name, signature: signatureOf(real) });
  }

  remove(real: string): void {
    const folder = dirname(real);
    const entry = this.folders.get(folder);
    if (!entry) return;
    entry.files.delete(basename(real));
    if (entry.files.size === 0) this.closeFolder(folder);
  }

  closeAll(): void {
    for (const folder of [...this.folders.keys()]) this.closeFolder(folder);
  }

  get size(): number {
    let n = 0;
    for (const f of this.folders.values()) n += f.files.size;
    return n;
  }

  private onEvent(folder: string, entry: FolderWatch, filename: string | undefined): void {
    if (filename !== undefined && !entry.files.has(filename)) return;
    for (const name of filename !== undefined ? [filename] : entry.files.keys()) entry.pending.add(name);
    if (entry.timer) return;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      const names = [...entry.pending];
      entry.pending.clear();
      for (const name of names) {
        const watched = entry.files.get(name);
        if (!watched) continue;
        const signature = signatureOf(`${folder}/${name}`);
        if (signature === watched.signature) continue;
        watched.signature = signature;
        this.notify(watched.uri);
      }
    }, SETTLE_MS);
    entry.timer.unref();
  }

  private closeFolder(folder: string): void {
    const entry = this.folders.get(folder);
    if (!entry) return;
    this.folders.delete(folder);
    if (entry.timer) clearTimeout(entry.timer);
    entry.watcher.close();
  }
}
