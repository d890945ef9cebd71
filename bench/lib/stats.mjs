// Small statistics helpers for the bench tables.
export function median(values) {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile of the finite values (q in 0..1); undefined for an empty list. */
export function quantile(values, q) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo);
}

export function ratio(host, bare) {
  return host === undefined || bare === undefined || bare === 0 ? undefined : host / bare;
}
