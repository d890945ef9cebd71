import type { CallToolResult } from '../../../core/api/index.js';

/** A text result, with optional extra text items (notes kept apart from file content) and structured content. */
export function textResult(text: string, notes: string[] = [], structured?: Record<string, unknown>): CallToolResult {
  const content = [{ type: 'text' as const, text }, ...notes.map((note) => ({ type: 'text' as const, text: note }))];
  return structured ? { content, structuredContent: structured } : { content };
}

/** Sorts strings by UTF-16 code units (stable across locales, like `ls` with LC_ALL=C). */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
