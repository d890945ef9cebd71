// Percentiles for the reload bench tables.

/** Linear-interpolated quantile (q in 0..1) of the finite values; undefined when there are none. */
export function quantile(values, q) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo);
}

export const round = (value, digits = 1) => (value === undefined || !Number.isFinite(value) ? undefined : Math.round(value * 10 ** digits) / 10 ** digits);

/** { n, p50, p95, max } in ms, rounded. */
export function summarize(samples) {
  return { n: samples.length, p50: round(quantile(samples, 0.5)), p95: round(quantile(samples, 0.95)), max: round(Math.max(...samples)) };
}
