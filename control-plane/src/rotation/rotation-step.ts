import { isTinyChange, learnedWeights } from './learned-weights.ts';
import { type ArmCounts, DEFAULT_DRAWS, probabilityBest } from './probability-best.ts';
import type { Random } from './seeded-random.ts';

/** One arm of a group as the bandit sees it: its evidence and the weight in force now. */
export type StepArm = ArmCounts & { weightInForce: number };

export type StepSettings = {
  /** 0..1: the traffic kept for exploration, shared equally by the arms. */
  explorationShare: number;
  /** Clean clicks the group must have in the window, all arms together, before weights move. */
  minClicks: number;
};

export type StepOutcome =
  | { kind: 'not_enough_clicks'; clicks: number }
  | { kind: 'tiny_change' | 'changed'; clicks: number; probabilities: number[]; weights: number[] };

/**
 * One recomputation of one rotation group (an offer's landing pages, or its creatives of one
 * size): Thompson sampling's probabilities of being best, turned into weights with the
 * exploration floor, kept only when the group has enough clicks and the change is worth
 * publishing. Pure, so the simulation in bandit-simulation.test.ts runs exactly this.
 */
export function rotationStep(
  arms: readonly StepArm[],
  settings: StepSettings,
  random: Random,
  draws = DEFAULT_DRAWS,
): StepOutcome {
  const clicks = arms.reduce((sum, arm) => sum + arm.clicks, 0);
  if (clicks < settings.minClicks || clicks === 0) return { kind: 'not_enough_clicks', clicks };
  const probabilities = probabilityBest(arms, random, draws);
  const weights = learnedWeights(probabilities, settings.explorationShare);
  const before = arms.map((arm) => arm.weightInForce);
  return {
    kind: isTinyChange(before, weights) ? 'tiny_change' : 'changed',
    clicks,
    probabilities,
    weights,
  };
}
