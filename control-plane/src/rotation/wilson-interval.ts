/** The normal quantile of a two-sided 95% interval. */
const Z_95 = 1.959963984540054;

/**
 * The Wilson score interval of a proportion (95%): unlike p ± z·se it stays inside [0, 1] and is
 * honest for small counts and rates near 0, which conversion rates are. null without trials.
 */
export function wilsonInterval(
  successes: number,
  trials: number,
  z = Z_95,
): { low: number; high: number } | null {
  if (trials <= 0) return null;
  const p = Math.min(1, Math.max(0, successes / trials));
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
