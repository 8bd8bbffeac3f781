/**
 * Picks one item with probability proportional to its weight (landing pages of a click, creatives
 * of an ad tag). `random` is in [0, 1). Weights are positive integers (the configuration's schema).
 */
export function pickByWeight<T extends { weight: number }>(
  items: readonly T[],
  random = Math.random(),
): T | null {
  if (items.length === 0) return null;
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let point = random * total;
  for (const item of items) {
    point -= item.weight;
    if (point < 0) return item;
  }
  return items[items.length - 1]!;
}
