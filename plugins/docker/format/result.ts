import type { CallToolResult } from '../../../core/api/index.js';

/** A text result with structured content for programs. */
export function textResult(text: string, structured?: Record<string, unknown>): CallToolResult {
  return structured ? { content: [{ type: 'text', text }], structuredContent: structured } : { content: [{ type: 'text', text }] };
}

/** Bytes as "1.2 MB". */
export function formatBytes(bytes: number | undefined | null): string {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return '-';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A tab-separated table with a header line (cells stripped of tabs and newlines). */
export function table(header: string[], rows: (string | number | undefined | null)[][]): string {
  const cell = (v: string | number | undefined | null) => (v === undefined || v === null || v === '' ? '-' : String(v).replace(/[\t\r\n]+/g, ' '));
  return [header.join('\t'), ...rows.map((r) => r.map(cell).join('\t'))].join('\n');
}

export function unixToIso(seconds: number | undefined): string | undefined {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined;
}
