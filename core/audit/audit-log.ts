import { hash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { AuditSettings } from '../config/config-types.js';
import { redactText } from '../logging/redact.js';
import { canonicalJson } from './canonical-json.js';
import { RotatingFile } from './rotating-file.js';

/** How a tool call ended, as the audit log records it. */
export type CallOutcome = 'ok' | 'isError' | 'error' | 'timeout' | 'limited' | 'invalid-args';

/** At most this much argument text waits for the disk; beyond it records are dropped and counted. */
const MAX_PENDING_BYTES = 32 * 1024 * 1024;

/** One audited call, filled in along the call path and turned into a line only when it is written. */
export class AuditEntry {
  outcome: CallOutcome = 'ok';
  /** For `limited`: which limit refused the call. */
  limit?: string;
  durationMs = 0;

  constructor(
    readonly time: number,
    readonly start: number,
    /** The arguments' canonical JSON: hashed and measured, never written. */
    readonly args: string,
    readonly instance: string,
    readonly tool: string,
  ) {}
}

/**
 * The audit log of tool calls: one JSON line per call with time, instance, tool, argument size and SHA-256,
 * duration and outcome — never argument values, and every string passes the secret redaction. Off until
 * `configure` gets settings; lines are appended in the background (see RotatingFile), never on stdout.
 */
export class AuditLog {
  private file?: RotatingFile;
  private settings?: AuditSettings;
  private lastError?: string;
  private readonly clock = new IsoClock();
  private readonly names = new Map<string, string>();
  private namesFor?: readonly string[];

  constructor(
    /** Known secret values (the host's SecretList: it grows as configs are read). */
    private readonly secrets: { readonly values: readonly string[] },
    private readonly warn: (message: string) => void,
  ) {}

  get enabled(): boolean {
    return this.file !== undefined;
  }

  /** Starts the record of one call. `args` as the client sent them (before defaults are filled in). */
  begin(instance: string, tool: string, args: unknown): AuditEntry {
    return new AuditEntry(Date.now(), performance.now(), canonicalJson(args), instance, tool);
  }

  /** The call has been answered: queue its line. */
  end(entry: AuditEntry): void {
    entry.durationMs = performance.now() - entry.start;
    this.file?.write(entry, entry.args.length + 256);
  }

  /** Turns the log on, off or to other settings; the previous file is flushed and closed. */
  async configure(wanted: AuditSettings): Promise<void> {
    const settings = wanted.enabled ? wanted : undefined;
    if (isDeepStrictEqual(settings, this.settings)) return;
    const previous = this.file;
    this.settings = settings;
    this.file = settings
      ? new RotatingFile({
          path: settings.file,
          maxBytes: settings.maxBytes,
          keep: settings.keep,
          maxPendingBytes: MAX_PENDING_BYTES,
          format: (entry) => this.format(entry as AuditEntry),
          lostLine: (count) => JSON.stringify({ time: new Date().toISOString(), lost: count, note: 'audit records lost: the disk did not keep up or a write failed' }),
          onError: (error) => this.report(error),
        })
      : undefined;
    await previous?.close();
  }

  /** Resolves once every line queued so far is written. */
  flush(): Promise<void> {
    return this.file?.flush() ?? Promise.resolve();
  }

  async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    this.settings = undefined;
    await file?.close();
  }

  /** One line, built by hand: this runs for every call, so it avoids JSON.stringify of an object and Date formatting. */
  private format(entry: AuditEntry): string {
    let line =
      `{"time":"${this.clock.iso(entry.time)}","instance":${this.quoted(entry.instance)},"tool":${this.quoted(entry.tool)},` +
      `"argsBytes":${Buffer.byteLength(entry.args)},"argsSha256":"${hash('sha256', entry.args)}",` +
      `"durationMs":${Math.round(entry.durationMs * 100) / 100},"outcome":"${entry.outcome}"`;
    if (entry.limit !== undefined) line += `,"limit":${this.quoted(entry.limit)}`;
    return line + '}';
  }

  /** A name (instance, tool, limit) redacted and as a JSON string; names repeat, so the result is kept until the secrets change. */
  private quoted(name: string): string {
    const secrets = this.secrets.values;
    if (secrets !== this.namesFor || this.names.size > 10_000) {
      this.names.clear();
      this.namesFor = secrets;
    }
    let out = this.names.get(name);
    if (out === undefined) this.names.set(name, (out = JSON.stringify(redactText(name, secrets))));
    return out;
  }

  /** One warning per distinct problem, not one per record. */
  private report(error: Error): void {
    const message = `audit log ${this.settings?.file ?? ''}: ${error?.message ?? String(error)}`;
    if (message === this.lastError) return;
    this.lastError = message;
    this.warn(message);
  }
}

/** ISO 8601 times, the date-and-seconds part computed once per second. */
class IsoClock {
  private second = NaN;
  private prefix = '';

  iso(ms: number): string {
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      this.second = second;
      this.prefix = new Date(second * 1000).toISOString().slice(0, 19);
    }
    const millis = ms - second * 1000;
    return `${this.prefix}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
  }
}
