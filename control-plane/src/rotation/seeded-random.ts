import { randomInt } from 'node:crypto';

/** Uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * sfc32 seeded through splitmix32: fast, 128 bits of state, and good enough for Monte Carlo.
 * Seeded, so a test (or an A/B report viewed twice) gives the same figures from the same data.
 */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // The first outputs still echo the seed: discard them.
  for (let i = 0; i < 12; i++) next();
  return () => next() / 4_294_967_296;
}

/** A seed for production runs, where nothing needs to be replayed. */
export function freshSeed(): number {
  return randomInt(0, 2 ** 32 - 1);
}
