/**
 * A seeded pseudo-random source (mulberry32), so a run can be repeated: the same `--seed` gives
 * the same stream of inputs in the same order (timing, and so batching, still varies).
 */
export type Random = {
  /** A float in [0, 1). */
  next(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** A lowercase alphanumeric token of `length` characters. */
  token(length: number): string;
};

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return {
    next,
    chance: (p) => next() < p,
    int,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    token: (length) => Array.from({ length }, () => ALPHABET[int(0, ALPHABET.length - 1)]).join(''),
  };
}
