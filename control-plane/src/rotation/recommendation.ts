/** How sure the report must be of the best arm before it says to shift traffic. */
export const WINNER_PROBABILITY = 0.95;

export type Verdict = 'single_arm' | 'not_enough_data' | 'winner' | 'no_clear_winner';
export type Recommendation = {
  verdict: Verdict;
  /** The arm that leads (winner, or leader without a clear win); null when there is none. */
  bestArmId: number | null;
  message: string;
};

type ArmView = { id: number; name: string; clicks: number; probabilityBest: number | null };

/** "97%", and never "100%": a Monte Carlo estimate is not a certainty. */
export function percent(p: number): string {
  const rounded = Math.round(p * 100);
  if (rounded >= 100 && p < 1) return 'over 99%';
  if (rounded >= 100) return '100%';
  if (rounded <= 0 && p > 0) return 'under 1%';
  return `${rounded}%`;
}

/**
 * The plain-language advice for one rotation group, e.g. `"B" beats "A" with 97% probability;
 * shift traffic to "B".` or `Not enough data yet: 120 clicks, need 500.`
 */
export function recommend(
  arms: readonly ArmView[],
  options: { minClicks: number; bandit: boolean; what: string },
): Recommendation {
  if (arms.length < 2) {
    return {
      verdict: 'single_arm',
      bestArmId: null,
      message: `Only one ${options.what} is rotating: add another to test against it.`,
    };
  }
  const clicks = arms.reduce((sum, a) => sum + a.clicks, 0);
  const needed = Math.max(1, options.minClicks);
  if (clicks < needed) {
    return {
      verdict: 'not_enough_data',
      bestArmId: null,
      message: `Not enough data yet: ${clicks.toLocaleString('en-US')} clicks, need ${needed.toLocaleString('en-US')}.`,
    };
  }
  const ranked = [...arms].sort((a, b) => (b.probabilityBest ?? 0) - (a.probabilityBest ?? 0));
  const best = ranked[0]!;
  const p = best.probabilityBest ?? 0;
  const quoted = (name: string) => `"${name}"`;
  if (p < WINNER_PROBABILITY) {
    return {
      verdict: 'no_clear_winner',
      bestArmId: best.id,
      message: `No clear winner yet: ${quoted(best.name)} leads with ${percent(p)} probability of being best; keep testing.`,
    };
  }
  const claim =
    arms.length === 2
      ? `${quoted(best.name)} beats ${quoted(ranked[1]!.name)} with ${percent(p)} probability`
      : `${quoted(best.name)} is the best of ${arms.length} with ${percent(p)} probability`;
  const advice = options.bandit
    ? `the bandit is shifting traffic to ${quoted(best.name)}`
    : `shift traffic to ${quoted(best.name)}`;
  return { verdict: 'winner', bestArmId: best.id, message: `${claim}; ${advice}.` };
}
