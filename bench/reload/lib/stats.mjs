// Percentiles for the reload bench tables (quantile shared with the main bench).
import { quantile } from '../../lib/stats.mjs';

export const round = (value, digits = 1) => (value === undefined || !Number.isFinite(value) ? undefined : Math.round(value * 10 ** digits) / 10 ** digits);

/** { n, p50, p95, max } in ms, rounded. */
export function summarize(samples) {
  return { n: samples.length, p50: round(quantile(samples, 0.5)), p95: round(quantile(samples, 0.95)), max: round(Math.max(...samples)) };
}
