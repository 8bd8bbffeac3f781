import { describe, expect, it } from 'vitest';
import { betaSampler } from './beta-sampler.ts';
import { probabilityBest } from './probability-best.ts';
import { seededRandom } from './seeded-random.ts';

describe('betaSampler', () => {
  it('draws Beta and Gamma variates with the right mean and variance (Marsaglia–Tsang, shapes below 1 too)', () => {
    const sampler = betaSampler(seededRandom(11));
    const moments = (draw: () => number, n = 40_000) => {
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < n; i++) {
        const x = draw();
        sum += x;
        squares += x * x;
      }
      const mean = sum / n;
      return { mean, variance: squares / n - mean * mean };
    };
    for (const [a, b] of [
      [1, 1],
      [3, 97],
      [31, 571],
      [0.5, 0.5],
    ] as const) {
      const { mean, variance } = moments(() => sampler.beta(a, b));
      const expectedMean = a / (a + b);
      const expectedVariance = (a * b) / ((a + b) ** 2 * (a + b + 1));
      expect(mean, `Beta(${a}, ${b}) mean`).toBeCloseTo(expectedMean, 2);
      expect(
        Math.abs(variance - expectedVariance) / expectedVariance,
        `Beta(${a}, ${b}) variance`,
      ).toBeLessThan(0.05);
    }
    for (const shape of [0.3, 2, 50]) {
      const { mean, variance } = moments(() => sampler.gamma(shape));
      expect(Math.abs(mean - shape) / shape, `Gamma(${shape}) mean`).toBeLessThan(0.03);
      expect(Math.abs(variance - shape) / shape, `Gamma(${shape}) variance`).toBeLessThan(0.06);
    }
  });
});

describe('probabilityBest', () => {
  it('splits evenly between equal arms and favours the arm with the better rate', () => {
    const equal = probabilityBest(
      [
        { clicks: 1000, conversions: 20 },
        { clicks: 1000, conversions: 20 },
      ],
      seededRandom(1),
    );
    expect(equal[0]).toBeGreaterThan(0.47);
    expect(equal[0]).toBeLessThan(0.53);
    const [worse, better] = probabilityBest(
      [
        { clicks: 1000, conversions: 20 },
        { clicks: 1000, conversions: 35 },
      ],
      seededRandom(1),
    );
    // Two posteriors about 1.9 standard errors apart: about 97%.
    expect(better).toBeGreaterThan(0.95);
    expect(better).toBeLessThan(0.99);
    expect((worse ?? 0) + (better ?? 0)).toBeCloseTo(1, 10);
  });

  it('is uninformed without clicks, certain with one arm, and bounded for impossible counts', () => {
    const none = probabilityBest(
      [
        { clicks: 0, conversions: 0 },
        { clicks: 0, conversions: 0 },
        { clicks: 0, conversions: 0 },
      ],
      seededRandom(2),
    );
    for (const p of none) expect(Math.abs(p - 1 / 3)).toBeLessThan(0.02);
    expect(probabilityBest([{ clicks: 5, conversions: 1 }], seededRandom(2))).toEqual([1]);
    const odd = probabilityBest(
      [
        { clicks: 10, conversions: 50 },
        { clicks: 10, conversions: 0 },
      ],
      seededRandom(2),
    );
    expect(odd[0]).toBeGreaterThan(0.99);
  });

  it('gives the same answer for the same seed', () => {
    const arms = [
      { clicks: 300, conversions: 9 },
      { clicks: 280, conversions: 12 },
    ];
    expect(probabilityBest(arms, seededRandom(9))).toEqual(probabilityBest(arms, seededRandom(9)));
  });
});
