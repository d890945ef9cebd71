/**
 * Docker's multiplexed stream framing (containers without a TTY, exec): each frame is an 8-byte header
 * (stream type, three zero bytes, big-endian payload size) and the payload. Parsed as chunks arrive, so
 * nothing is held beyond the current header; TTY streams are raw and all stdout.
 */
export type StreamName = 'stdout' | 'stderr';

/** Receives payload bytes; returns false to stop (the caller then destroys the stream). */
export type Sink = (stream: StreamName, data: Buffer) => boolean;

export class Demuxer {
  private readonly header = Buffer.alloc(8);
  private headerFill = 0;
  private remaining = 0;
  private current: StreamName = 'stdout';

  constructor(
    private readonly sink: Sink,
    private readonly raw = false,
  ) {}

  /** Feeds one chunk; false once the sink said stop. */
  push(chunk: Buffer): boolean {
    if (this.raw) return this.sink('stdout', chunk);
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(8 - this.headerFill, chunk.length - at);
        chunk.copy(this.header, this.headerFill, at, at + take);
        this.headerFill += take;
        at += take;
        if (this.headerFill < 8) return true;
        this.headerFill = 0;
        // 1 = stdout; 2 = stderr; 3 = the Engine's own error about an exec: shown with stderr. 0 (stdin echo) too.
        this.current = this.header[0] === 1 ? 'stdout' : 'stderr';
        this.remaining = this.header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - at);
      this.remaining -= take;
      const payload = chunk.subarray(at, at + take);
      at += take;
      if (!this.sink(this.current, payload)) return false;
    }
    return true;
  }
}
