/**
 * Collects demultiplexed output under a byte cap: stdout and stderr apart, at most `maxBytes` in all,
 * cut at a line end (or a UTF-8 boundary for a line longer than the cap). With `grep`, only lines
 * holding that text are kept, and `scanLimit` bounds how much is read to find them. `push` returns
 * false as soon as the answer is complete, so the reader can stop and destroy the stream.
 */
import type { StreamName } from './demux.js';

export type TruncatedBy = 'maxBytes' | 'scanLimit' | 'timeout';

export interface Collected {
  stdout: string;
  stderr: string;
  stdoutLines: number;
  stderrLines: number;
  /** Bytes kept (the answer's size). */
  bytes: number;
  /** Bytes read from the Engine. */
  scannedBytes: number;
  truncated: boolean;
  truncatedBy?: TruncatedBy;
}

/** The largest index <= max that does not split a UTF-8 sequence. */
export function utf8Cut(buf: Buffer, max: number): number {
  if (max >= buf.length) return buf.length;
  let i = max;
  while (i > 0 && (buf[i] & 0xc0) === 0x80) i--;
  return i;
}

const LONG_LINE = 64 * 1024;

function countLines(chunks: Buffer[]): number {
  let n = 0;
  let last = 10;
  for (const chunk of chunks) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
    if (chunk.length > 0) last = chunk[chunk.length - 1];
  }
  return last === 10 ? n : n + 1;
}

export class OutputCollector {
  private readonly kept: Record<StreamName, Buffer[]> = { stdout: [], stderr: [] };
  private readonly partial: Record<StreamName, Buffer[]> = { stdout: [], stderr: [] };
  private readonly partialBytes: Record<StreamName, number> = { stdout: 0, stderr: 0 };
  private keptBytes = 0;
  private scanned = 0;
  private readonly needle: Buffer | undefined;
  truncatedBy: TruncatedBy | undefined;

  constructor(
    private readonly maxBytes: number,
    options: { grep?: string; scanLimit?: number } = {},
  ) {
    this.needle = options.grep ? Buffer.from(options.grep, 'utf8') : undefined;
    this.scanLimit = options.scanLimit ?? Number.POSITIVE_INFINITY;
  }

  private readonly scanLimit: number;

  get done(): boolean {
    return this.truncatedBy !== undefined;
  }

  /** Takes payload bytes of one stream; false when no more is wanted. */
  push = (stream: StreamName, data: Buffer): boolean => {
    if (this.done) return false;
    this.scanned += data.length;
    if (this.needle) {
      if (!this.grep(stream, data)) return false;
      if (this.scanned >= this.scanLimit) {
        this.truncatedBy = 'scanLimit';
        return false;
      }
      return true;
    }
    return this.keep(stream, data);
  };

  private keep(stream: StreamName, data: Buffer): boolean {
    const room = this.maxBytes - this.keptBytes;
    if (data.length <= room) {
      this.kept[stream].push(data);
      this.keptBytes += data.length;
      return true;
    }
    // Over the cap: keep whole lines that fit; a single line longer than the room is cut at a character boundary.
    const lastNewline = room > 0 ? data.lastIndexOf(10, room - 1) : -1;
    const end = lastNewline >= 0 ? lastNewline + 1 : this.keptBytes === 0 ? utf8Cut(data, room) : 0;
    if (end > 0) {
      this.kept[stream].push(data.subarray(0, end));
      this.keptBytes += end;
    }
    this.truncatedBy = 'maxBytes';
    return false;
  }

  private grep(stream: StreamName, data: Buffer): boolean {
    let start = 0;
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
      if (!this.line(stream, data.subarray(start, nl + 1))) return false;
      start = nl + 1;
    }
    if (start < data.length) {
      const rest = data.subarray(start);
      this.partial[stream].push(Buffer.from(rest));
      this.partialBytes[stream] += rest.length;
      // A line without an end that grows past LONG_LINE is judged as it stands, so one huge line is never held whole.
      if (this.partialBytes[stream] > LONG_LINE) return this.flushPartial(stream);
    }
    return true;
  }

  private line(stream: StreamName, piece: Buffer): boolean {
    let line = piece;
    if (this.partialBytes[stream] > 0) {
      line = Buffer.concat([...this.partial[stream], piece]);
      this.partial[stream] = [];
      this.partialBytes[stream] = 0;
    }
    return line.includes(this.needle!) ? this.keep(stream, line) : true;
  }

  private flushPartial(stream: StreamName): boolean {
    const line = Buffer.concat(this.partial[stream]);
    this.partial[stream] = [];
    this.partialBytes[stream] = 0;
    return line.includes(this.needle!) ? this.keep(stream, line) : true;
  }

  /** Marks the result cut for a reason found outside (the reading deadline). */
  stop(reason: TruncatedBy): void {
    this.truncatedBy ??= reason;
  }

  result(): Collected {
    if (this.needle && !this.done) for (const stream of ['stdout', 'stderr'] as const) if (this.partialBytes[stream] > 0) this.flushPartial(stream);
    return {
      stdout: Buffer.concat(this.kept.stdout).toString('utf8'),
      stderr: Buffer.concat(this.kept.stderr).toString('utf8'),
      stdoutLines: countLines(this.kept.stdout),
      stderrLines: countLines(this.kept.stderr),
      bytes: this.keptBytes,
      scannedBytes: this.scanned,
      truncated: this.truncatedBy !== undefined,
      ...(this.truncatedBy ? { truncatedBy: this.truncatedBy } : {}),
    };
  }
}
