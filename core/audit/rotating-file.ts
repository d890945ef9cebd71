import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface RotatingFileOptions {
  path: string;
  /** Rotate before the file would grow past this. */
  maxBytes: number;
  /** Rotated files kept: path.1 (newest) ... path.<keep>. */
  keep: number;
  /** Queued text beyond this is dropped (the disk is not keeping up), and counted. */
  maxPendingBytes: number;
  /** Turns queued items into lines, off the caller's path (just before they are written). */
  format(item: unknown): string;
  /** A line saying how many items were lost (dropped or failed to write), written with the next batch that succeeds. */
  lostLine(count: number): string;
  onError(error: Error): void;
}

/** Queued items are written this long after the first of them at the latest (one write per batch, not per item)... */
const BATCH_MS = 100;
/** ...or at once when this much text is waiting. */
const BATCH_BYTES = 256 * 1024;

/**
 * An append-only JSON-lines file written in batches in the background: `write` only queues (no I/O, no
 * formatting); a batch is formatted and appended in one write at most BATCH_MS later. Rotated by size, keeping
 * `keep` old files. Never throws at the caller; failures go to `onError` and the items are counted as lost.
 */
export class RotatingFile {
  private pending: unknown[] = [];
  private pendingBytes = 0;
  private lost = 0;
  private handle?: FileHandle;
  private size = 0;
  private writing?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: RotatingFileOptions) {}

  /** Queues one item; `weight` is roughly how much text it holds (bounds the queue). */
  write(item: unknown, weight: number): void {
    if (this.pendingBytes + weight > this.options.maxPendingBytes) {
      this.lost++;
      return;
    }
    this.pending.push(item);
    this.pendingBytes += weight;
    if (this.writing) return; // the running drain takes it
    if (this.pendingBytes >= BATCH_BYTES) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.drain();
    } else {
      this.schedule();
    }
  }

  /** Resolves once everything queued so far is written (or lost). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing || this.pending.length > 0) await (this.writing ?? this.drain());
  }

  async close(): Promise<void> {
    await this.flush();
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => {});
  }

  /** @internal */
  drain(): Promise<void> {
    this.timer = undefined;
    this.writing ??= this.writeBatch().finally(() => {
      this.writing = undefined;
      // Items queued while that batch was being written go in the next one.
      if (this.pendingBytes >= BATCH_BYTES) void this.drain();
      else if (this.pending.length > 0) this.schedule();
    });
    return this.writing;
  }

  private schedule(): void {
    if (this.timer) return;
    // Shutdown flushes explicitly (close): the batch timer alone does not keep the process alive.
    this.timer = setTimeout(startDrain, BATCH_MS, this);
    this.timer.unref();
  }

  /** Formats and appends everything queued, in one write (two around a rotation). */
  private async writeBatch(): Promise<void> {
    const items = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const lines: string[] = [];
    for (const item of items) {
      try {
        lines.push(this.options.format(item));
      } catch (error) {
        this.lost++;
        this.options.onError(error as Error);
      }
    }
    const lost = this.lost;
    this.lost = 0;
    const records = lines.length;
    if (lost > 0) lines.push(this.options.lostLine(lost));
    try {
      await this.append(lines);
    } catch (error) {
      this.lost += lost + records;
      this.options.onError(error as Error);
      await this.handle?.close().catch(() => {});
      this.handle = undefined;
    }
  }

  private async append(lines: string[]): Promise<void> {
    if (!this.handle) await this.open();
    let chunk = '';
    let chunkBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line) + 1;
      if (this.size + chunkBytes + bytes > this.options.maxBytes && this.size + chunkBytes > 0) {
        if (chunk) await this.handle!.write(chunk);
        await this.rotate();
        chunk = '';
        chunkBytes = 0;
      }
      chunk += line + '\n';
      chunkBytes += bytes;
    }
    if (chunk) await this.handle!.write(chunk);
    this.size += chunkBytes;
  }

  private async open(): Promise<void> {
    await mkdir(dirname(this.options.path), { recursive: true });
    this.handle = await open(this.options.path, 'a', 0o600);
    this.size = (await this.handle.stat()).size;
  }

  /** path.<keep-1> → path.<keep> ... path → path.1, then a fresh path. */
  private async rotate(): Promise<void> {
    const { path, keep } = this.options;
    await this.handle?.close();
    this.handle = undefined;
    for (let i = keep - 1; i >= 1; i--) await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(ignoreMissing);
    await rename(path, `${path}.1`).catch(ignoreMissing);
    await this.open();
  }
}

function startDrain(file: RotatingFile): void {
  void file.drain();
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
