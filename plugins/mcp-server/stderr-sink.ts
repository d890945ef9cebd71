import type { PluginLogger } from '../../core/api/index.js';

const WINDOW_MS = 60_000;
const TAIL_LINES = 20;

/**
 * A server's stderr into the instance's log, bounded: lines cut to `maxLineChars`, at most `perMinute`
 * lines per minute (the rest counted and reported once the minute is over), a partial line never
 * buffered beyond `maxLineChars`. The last lines are kept to explain a server that fails to start.
 */
export class StderrSink {
  private partial = '';
  private partialCut = false;
  private windowStart = Date.now();
  private inWindow = 0;
  private dropped = 0;
  private readonly tailLines: string[] = [];

  constructor(
    private readonly logger: PluginLogger,
    private readonly maxLineChars: number,
    private readonly perMinute: number,
    /** What the lines are, in the log: `stderr`, or `server log` for the server's MCP log messages. */
    private readonly label = 'stderr',
  ) {}

  write(chunk: string): void {
    let start = 0;
    let newline: number;
    while ((newline = chunk.indexOf('\n', start)) >= 0) {
      this.append(chunk.slice(start, newline));
      this.line();
      start = newline + 1;
    }
    if (start < chunk.length) this.append(chunk.slice(start));
  }

  /** The last lines seen (cut) since `newProcess`, on one line, for an error message. */
  tail(): string {
    return [...this.tailLines, ...(this.partial ? [this.partial] : [])].join(' | ');
  }

  /** A new server process: the tail is about it alone. */
  newProcess(): void {
    this.tailLines.length = 0;
    this.partial = '';
    this.partialCut = false;
  }

  /** Logs what is left (a last line without newline, the count of dropped lines). */
  flush(): void {
    if (this.partial !== '') this.line();
    this.reportDropped();
  }

  private append(text: string): void {
    const room = this.maxLineChars - this.partial.length;
    if (text.length > room) {
      this.partial += text.slice(0, Math.max(0, room));
      this.partialCut = true;
    } else {
      this.partial += text;
    }
  }

  private line(): void {
    const text = (this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial) + (this.partialCut ? ' …(cut)' : '');
    this.partial = '';
    this.partialCut = false;
    if (text.trim() === '') return;
    this.tailLines.push(text);
    if (this.tailLines.length > TAIL_LINES) this.tailLines.shift();
    const now = Date.now();
    if (now - this.windowStart >= WINDOW_MS) {
      this.reportDropped();
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow >= this.perMinute) {
      // The count is reported when the minute is over, even if the server falls silent meanwhile.
      if (this.dropped++ === 0) setTimeout(() => this.reportDropped(), this.windowStart + WINDOW_MS - now).unref();
      return;
    }
    this.inWindow++;
    this.logger.info(`${this.label}: ${text}`);
  }

  private reportDropped(): void {
    if (this.dropped === 0) return;
    this.logger.warn(`${this.label}: ${this.dropped} more line(s) dropped (over stderrLinesPerMinute)`);
    this.dropped = 0;
  }
}
