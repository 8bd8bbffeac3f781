import { betaSampler } from './beta-sampler.ts';
import type { Random } from './seeded-random.ts';

/** What the bandit knows of an arm: clean clicks in the window, and how many of them converted. */
export type ArmCounts = { clicks: number; conversions: number };

export const DEFAULT_DRAWS = 20_000;

/**
 * Each arm's probability of having the highest conversion rate, by Monte Carlo over the arms'
 * posteriors Beta(1 + conversions, 1 + clicks - conversions) (a uniform prior). Ties in a draw
 * (only possible when every arm has the same posterior and the draws collide) go to the first.
 */
export function probabilityBest(arms: readonly ArmCounts[], random: Random, draws = DEFAULT_DRAWS): number[] {
  if (arms.length === 0) return [];
  if (arms.length === 1) return [1];
  const sampler = betaSampler(random);
  const params = arms.map(({ clicks, conversions }) => {
    // Counts from the database are trusted but bounded: a conversion rate cannot exceed 1.
    const converted = Math.max(0, Math.min(conversions, clicks));
    return [1 + converted, 1 + Math.max(0, clicks) - converted] as const;
  });
  const wins = new Array<number>(arms.length).fill(0);
  for (let draw = 0; draw < draws; draw++) {
    let best = 0;
    let bestValue = -1;
    for (let arm = 0; arm < params.length; arm++) {
      const [alpha, beta] = params[arm]!;
      const value = sampler.beta(alpha, beta);
      if (value > bestValue) {
        bestValue = value;
        best = arm;
      }
    }
    wins[best] = (wins[best] ?? 0) + 1;
  }
  return wins.map((w) => w / draws);
}
