import winston from 'winston';
import { redactText, redactValue } from './redact.js';

export type HostLogger = winston.Logger;

/** Secret values known so far; the config loader adds the ones it interpolated. */
export class SecretList {
  values: string[] = [];
  add(values: readonly string[]): void {
    this.values = [...new Set([...this.values, ...values])].sort((a, b) => b.length - a.length);
  }
}

const SPLAT = Symbol.for('splat');
const LEVEL = Symbol.for('level');

/**
 * winston to stderr (never stdout: it is the MCP channel) and optionally a JSON-lines file.
 * Every record passes through redaction before any transport sees it.
 */
export function createLogger(level: string, secrets: SecretList, logFile?: string): HostLogger {
  const redact = winston.format((info) => {
    const out: winston.Logform.TransformableInfo = { level: info.level, message: redactText(String(info.message), secrets.values) };
    for (const [k, v] of Object.entries(info)) if (k !== 'level' && k !== 'message') out[k] = redactValue(v, secrets.values, k);
    (out as any)[LEVEL] = (info as any)[LEVEL];
    (out as any)[SPLAT] = (info as any)[SPLAT];
    return out;
  });
  const line = winston.format.printf(({ level, message, timestamp, instance, ...meta }) => {
    const rest = Object.keys(meta).length > 0 ? ' ' + JSON.stringify(meta) : '';
    return `${timestamp} ${level} ${instance ? `[${instance}] ` : ''}${message}${rest}`;
  });
  const transports: winston.transport[] = [
    new winston.transports.Console({
      stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'],
      format: winston.format.combine(winston.format.timestamp(), line),
    }),
  ];
  if (logFile) transports.push(new winston.transports.File({ filename: logFile, format: winston.format.combine(winston.format.timestamp(), winston.format.json()) }));
  return winston.createLogger({ level, format: redact(), transports });
}
