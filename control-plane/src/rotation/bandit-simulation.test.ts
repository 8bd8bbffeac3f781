import { describe, expect, it } from 'vitest';
import { sharesOf } from './learned-weights.ts';
import { rotationStep, type StepSettings } from './rotation-step.ts';
import { type Random, seededRandom } from './seeded-random.ts';

/*
 * Simulated traffic through the bandit as the sweeper runs it: each day, the day's clicks are
 * split among the arms by the weights in force, each click converts with its arm's true rate,
 * and the weights are recomputed from the clicks of the decay window.
 */

type Day = { clicks: number[]; conversions: number[] };
type Trajectory = { weights: number[][]; probabilities: number[][]; outcomes: string[] };

function binomial(n: number, p: number, random: Random): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (random() < p) k++;
  return k;
}

/** The day's clicks split among the arms by weight (one draw per click). */
function splitClicks(total: number, weights: number[], random: Random): number[] {
  const shares = sharesOf(weights);
  const clicks = new Array<number>(weights.length).fill(0);
  for (let i = 0; i < total; i++) {
    let point = random();
    let arm = 0;
    while (arm < shares.length - 1 && point >= (shares[arm] ?? 0)) {
      point -= shares[arm] ?? 0;
      arm++;
    }
    clicks[arm] = (clicks[arm] ?? 0) + 1;
  }
  return clicks;
}

function simulate(options: {
  rates: number[];
  days: number;
  clicksPerDay: number;
  windowDays: number;
  settings: StepSettings;
  seed: number;
}): Trajectory {
  const traffic = seededRandom(options.seed);
  const bandit = seededRandom(options.seed + 1);
  const n = options.rates.length;
  // The advertiser's manual weights: equal.
  let inForce = new Array<number>(n).fill(1);
  const history: Day[] = [];
  const trajectory: Trajectory = { weights: [], probabilities: [], outcomes: [] };
  for (let day = 0; day < options.days; day++) {
    const clicks = splitClicks(options.clicksPerDay, inForce, traffic);
    const conversions = clicks.map((c, arm) => binomial(c, options.rates[arm] ?? 0, traffic));
    history.push({ clicks, conversions });
    const window = history.slice(-options.windowDays);
    const arms = inForce.map((weightInForce, arm) => ({
      weightInForce,
      clicks: window.reduce((sum, d) => sum + (d.clicks[arm] ?? 0), 0),
      conversions: window.reduce((sum, d) => sum + (d.conversions[arm] ?? 0), 0),
    }));
    const outcome = rotationStep(arms, options.settings, bandit);
    trajectory.outcomes.push(outcome.kind);
    if (outcome.kind === 'changed') inForce = outcome.weights;
    if (outcome.kind !== 'not_enough_clicks') trajectory.probabilities.push(outcome.probabilities);
    trajectory.weights.push(inForce);
  }
  return trajectory;
}

const settings = { explorationShare: 0.1, minClicks: 500 };

describe('the bandit on simulated traffic', () => {
  it('moves most traffic to the arm that converts at 3% rather than 2%, and is sure of it', () => {
    const run = simulate({
      rates: [0.02, 0.03],
      days: 60,
      clicksPerDay: 2000,
      windowDays: 14,
      settings,
      seed: 20261129,
    });
    const last = sharesOf(run.weights.at(-1)!);
    const pBest = run.probabilities.at(-1)!;
    const firstDays = run.weights.slice(0, 5).map((w) => `${(sharesOf(w)[1]! * 100).toFixed(1)}%`);
    console.log(
      `2% vs 3%: better arm ${(last[1]! * 100).toFixed(1)}% of traffic after 60 days, P(best) ${pBest[1]!.toFixed(4)}; ` +
        `days 1-5: ${firstDays.join(', ')}; above 70% from day ${run.weights.findIndex((w) => sharesOf(w)[1]! > 0.7) + 1}`,
    );
    expect(last[1]).toBeGreaterThan(0.7);
    expect(pBest[1]).toBeGreaterThan(0.95);
    // It got there within the first month and stayed.
    for (const weights of run.weights.slice(30)) expect(sharesOf(weights)[1]).toBeGreaterThan(0.7);
  });

  it('converges on thinner traffic too (300 clicks a day), more slowly', () => {
    const run = simulate({
      rates: [0.02, 0.03],
      days: 90,
      clicksPerDay: 300,
      windowDays: 14,
      settings,
      seed: 20261129,
    });
    const shares = run.weights.map((w) => sharesOf(w)[1]!);
    const lastMonth = shares.slice(60);
    const mean = lastMonth.reduce((a, b) => a + b, 0) / lastMonth.length;
    console.log(
      `2% vs 3% at 300 clicks/day: better arm share on days 7/14/30/60/90: ` +
        `${[6, 13, 29, 59, 89].map((d) => `${(shares[d]! * 100).toFixed(1)}%`).join(', ')}; ` +
        `mean over the last 30 days ${(mean * 100).toFixed(1)}%, P(best) at the end ${run.probabilities.at(-1)![1]!.toFixed(3)}`,
    );
    expect(mean).toBeGreaterThan(0.7);
  });

  it('converges whatever the seed (five seeds)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const run = simulate({
        rates: [0.03, 0.02],
        days: 30,
        clicksPerDay: 2000,
        windowDays: 14,
        settings,
        seed,
      });
      expect(sharesOf(run.weights.at(-1)!)[0], `seed ${seed}`).toBeGreaterThan(0.7);
      expect(run.probabilities.at(-1)![0], `seed ${seed}`).toBeGreaterThan(0.95);
    }
  });

  it('never starves an arm of its exploration share, among equal arms and against a clear winner', () => {
    for (const rates of [
      [0.02, 0.02, 0.02],
      [0.01, 0.05, 0.02, 0.02],
    ]) {
      const run = simulate({ rates, days: 40, clicksPerDay: 1500, windowDays: 14, settings, seed: 7 });
      const floor = settings.explorationShare / rates.length;
      for (const weights of run.weights) {
        for (const share of sharesOf(weights)) expect(share).toBeGreaterThanOrEqual(floor);
      }
    }
  });

  it('does not move weights before the minimum clicks, nor for tiny changes', () => {
    const run = simulate({
      rates: [0.02, 0.03],
      days: 3,
      clicksPerDay: 100,
      windowDays: 14,
      settings: { explorationShare: 0.1, minClicks: 500 },
      seed: 3,
    });
    expect(run.outcomes).toEqual(['not_enough_clicks', 'not_enough_clicks', 'not_enough_clicks']);
    expect(run.weights.every((w) => w.every((x) => x === 1))).toBe(true);
    // Two equal arms with equal evidence: P(best) about 50/50, which is what is in force.
    const step = rotationStep(
      [
        { clicks: 5000, conversions: 100, weightInForce: 1 },
        { clicks: 5000, conversions: 100, weightInForce: 1 },
      ],
      settings,
      seededRandom(1),
    );
    expect(step.kind).toBe('tiny_change');
  });

  it('is deterministic with a seed', () => {
    const options = {
      rates: [0.02, 0.03],
      days: 20,
      clicksPerDay: 1000,
      windowDays: 14,
      settings,
    };
    const a = simulate({ ...options, seed: 42 });
    expect(simulate({ ...options, seed: 42 })).toEqual(a);
    expect(simulate({ ...options, seed: 43 })).not.toEqual(a);
  });
});
