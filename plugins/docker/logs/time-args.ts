/**
 * since/until as the Engine wants them (unix seconds), from what a model naturally writes: unix seconds,
 * an ISO 8601 time, or a duration back from now ("90s", "15m", "2h", "1d").
 */
import { BadArgument } from '../engine/errors.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export const timeSchema = {
  type: ['string', 'number'],
  maxLength: 64,
  description: 'Unix seconds, an ISO 8601 time, or a duration back from now such as "30s", "15m", "2h", "1d"',
} as const;

/** Unix seconds (fractional) as a string, or undefined when `value` is undefined. */
export function toUnixSeconds(value: string | number | undefined, name: string, now = Date.now()): string | undefined {
  if (value === undefined) return undefined;
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (/^\d+(?:\.\d+)?$/.test(value.trim())) seconds = Number(value.trim());
  else {
    const relative = /^(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(value.trim());
    if (relative) seconds = now / 1000 - Number(relative[1]) * UNITS[relative[2].toLowerCase()];
    else {
      const parsed = Date.parse(value);
      if (Number.isNaN(parsed)) throw new BadArgument(`${name}: "${value}" is not a time (unix seconds, ISO 8601, or a duration like "15m")`);
      seconds = parsed / 1000;
    }
  }
  if (!Number.isFinite(seconds) || seconds < 0) throw new BadArgument(`${name}: "${value}" is not a time`);
  return seconds.toFixed(3);
}
