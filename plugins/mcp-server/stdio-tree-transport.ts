import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { DirectCalls } from './direct-calls.js';
import { spawnTree, type ProcessTree, type SpawnOptions } from './process-tree.js';
import type { StderrSink } from './stderr-sink.js';

/** How many more turns of the event loop a request may wait for others (see flush). */
const MAX_DEFERRED_TURNS = 2;

/** A line longer than this ends the connection (a runaway server must not eat the host's memory). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The client side of stdio to a server spawned as a process tree (see process-tree.ts). Like the SDK's
 * StdioClientTransport, but the process runs in its own group that close() reaps whole, its stderr
 * goes to a bounded sink, and lines are split without re-copying a growing buffer.
 */
export class StdioTreeTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private tree?: ProcessTree;
  private partial: Buffer[] = [];
  private partialLength = 0;
  private closed = false;
  /** Messages sent in this turn of the event loop, written together at its end (see send). */
  private queued = '';
  private flushing = false;
  private queuedCount = 0;
  private deferred = 0;
  /** Exit code or signal, once the process exited. */
  exit?: string;
  /** tools/call without the SDK client's machinery: its answers are taken off this transport first. */
  readonly direct: DirectCalls;

  constructor(
    private readonly options: SpawnOptions,
    private readonly stderr: StderrSink,
    private readonly killGraceMs: number,
    requestTimeoutMs: number,
  ) {
    this.direct = new DirectCalls(this, requestTimeoutMs);
  }

  get pid(): number | undefined {
    return this.tree?.child.pid;
  }

  async start(): Promise<void> {
    this.stderr.newProcess();
    const tree = await spawnTree(this.options);
    this.tree = tree;
    const { child } = tree;
    // Bytes, not text: a large result goes on to the client as the server's bytes (see DirectCalls.take).
    child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => this.stderr.write(chunk));
    child.stdin!.on('error', (error) => this.onerror?.(error));
    child.once('exit', (code, signal) => {
      this.exit = signal ? `signal ${signal}` : `code ${code}`;
      // The leader is gone; its group may not be (a grandchild holding on): reap it. Once the
      // pipes close ('close', after the last stdout data was read) the connection ends; a pipe some
      // unreapable process keeps open must not keep it from ending.
      void tree.kill(0).then(() => sleep(2000)).then(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        this.finish();
      });
    });
    child.once('close', () => {
      this.stderr.flush();
      this.finish();
    });
    if (this.closed) await tree.kill(this.killGraceMs);
  }

  /**
   * Messages are written once per turn of the event loop: a burst of calls reaches the server in one write (one
   * system call, one wake-up of the server) instead of one each. The promise resolves once the message is queued,
   * or once the pipe drained when it is full.
   */
  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.tree?.child.stdin;
    if (!stdin || this.closed || !stdin.writable) return Promise.reject(new Error('Not connected'));
    this.queued += JSON.stringify(message) + '\n';
    this.queuedCount++;
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(this.flush);
    }
    return stdin.writableNeedDrain ? new Promise((resolve) => stdin.once('drain', resolve)) : Promise.resolve();
  }

  private readonly flush = () => {
    // While calls sent earlier are still unanswered, more may come in a moment: a turn or two more gathers them
    // into the same write (each turn is quick: the loop only polls for what is ready).
    if (this.direct.waiting > this.queuedCount && this.deferred < MAX_DEFERRED_TURNS) {
      this.deferred++;
      setImmediate(this.flush);
      return;
    }
    this.deferred = 0;
    this.queuedCount = 0;
    this.flushing = false;
    const stdin = this.tree?.child.stdin;
    const chunk = this.queued;
    this.queued = '';
    if (chunk && stdin?.writable && !this.closed) stdin.write(chunk);
  };

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tree?.kill(this.killGraceMs);
    this.finish();
  }

  private finish(): void {
    this.closed = true;
    this.direct.end(`the connection ended${this.exit ? ` (the server exited with ${this.exit})` : ''}`);
    if (!this.onclose) return;
    const onclose = this.onclose;
    this.onclose = undefined;
    onclose?.();
  }

  private onData(chunk: Buffer): void {
    let start = 0;
    let newline: number;
    while ((newline = chunk.indexOf(LF, start)) >= 0) {
      let line = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.partial.length > 0) {
        this.partial.push(line);
        line = Buffer.concat(this.partial);
        this.partial = [];
        this.partialLength = 0;
      }
      this.onLine(line);
    }
    if (start < chunk.length) {
      this.partial.push(chunk.subarray(start));
      this.partialLength += chunk.length - start;
      if (this.partialLength > MAX_LINE_BYTES) {
        this.partial = [];
        this.partialLength = 0;
        this.onerror?.(new Error(`the server sent a line over ${MAX_LINE_BYTES} bytes; closing`));
        void this.close();
      }
    }
  }

  private onLine(bytes: Buffer): void {
    // Decoded whole, so a character split between two reads comes out right.
    const line = bytes.toString('utf8');
    if (line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      // Servers that print banners to stdout: note it, keep going.
      this.onerror?.(new Error(`not JSON-RPC on stdout: ${line.slice(0, 200)}`));
      return;
    }
    if (!message || typeof message !== 'object' || (message as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
      this.onerror?.(new Error(`not JSON-RPC on stdout: ${line.slice(0, 200)}`));
      return;
    }
    if (!this.direct.take(message as Record<string, unknown>, bytes)) this.onmessage?.(message as JSONRPCMessage);
  }
}

const LF = 0x0a;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
