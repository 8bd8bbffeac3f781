/**
 * What a group's learned weights add up to: basis points of its traffic. The edge takes integer
 * weights from 1 to 10,000 (shared/src/offer-config.ts), so each arm's share is exact to 0.01%.
 */
export const WEIGHT_TOTAL = 10_000;

/** A new set of weights is stored only when some arm's share moves by at least this (1 point). */
export const MIN_SHARE_CHANGE = 0.01;

/**
 * Integer weights from each arm's probability of being best: every arm keeps at least
 * `explorationShare / arms` of the traffic (and never less than one unit, which the edge needs),
 * the rest follows P(best). Arms below the floor are raised to it and the others shrink in
 * proportion, repeated until none is below (water-filling), then rounded by largest remainder so
 * the weights add up to WEIGHT_TOTAL.
 */
export function learnedWeights(probabilities: readonly number[], explorationShare: number): number[] {
  const n = probabilities.length;
  if (n === 0) return [];
  const share = Math.min(1, Math.max(0, explorationShare));
  const floor = Math.max(1, Math.ceil((share * WEIGHT_TOTAL) / n));
  if (floor * n >= WEIGHT_TOTAL) return new Array<number>(n).fill(Math.floor(WEIGHT_TOTAL / n));

  const floored = new Array<boolean>(n).fill(false);
  let ideal: number[] = [];
  for (;;) {
    const free = probabilities.map((_, i) => i).filter((i) => !floored[i]);
    const remaining = WEIGHT_TOTAL - floor * (n - free.length);
    const mass = free.reduce((sum, i) => sum + Math.max(0, probabilities[i] ?? 0), 0);
    ideal = probabilities.map((p, i) =>
      floored[i] ? floor : mass > 0 ? (remaining * Math.max(0, p)) / mass : remaining / free.length,
    );
    const below = free.filter((i) => (ideal[i] ?? 0) < floor);
    if (below.length === 0) break;
    for (const i of below) floored[i] = true;
  }

  // Largest remainder: floors first, then the missing units to the largest fractions. Every
  // free arm's ideal is at least the (integer) floor, so rounding down keeps it there.
  const weights = ideal.map((x) => Math.floor(x));
  let missing = WEIGHT_TOTAL - weights.reduce((sum, w) => sum + w, 0);
  const order = ideal
    .map((x, i) => ({ i, fraction: x - Math.floor(x) }))
    .sort((a, b) => b.fraction - a.fraction || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    weights[i] = (weights[i] ?? 0) + 1;
    missing -= 1;
  }
  return weights;
}

/** Each weight as a share of the group's traffic. */
export function sharesOf(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  return weights.map((w) => (total > 0 ? w / total : 0));
}

/** Whether moving from `before` to `after` (weights of the same arms, in order) is too small to publish. */
export function isTinyChange(before: readonly number[], after: readonly number[]): boolean {
  if (before.length !== after.length) return false;
  const a = sharesOf(before);
  const b = sharesOf(after);
  return a.every((share, i) => Math.abs(share - (b[i] ?? 0)) < MIN_SHARE_CHANGE);
}
