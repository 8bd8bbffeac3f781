import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTinyChange, learnedWeights, WEIGHT_TOTAL } from './learned-weights.ts';

describe('learnedWeights', () => {
  it('follows P(best) above the exploration floor', () => {
    expect(learnedWeights([0.999, 0.001], 0.1)).toEqual([9500, 500]);
    expect(learnedWeights([0.6, 0.4], 0.1)).toEqual([6000, 4000]);
    // 10% over three arms: 334 each at least (rounded up, never below the share).
    expect(learnedWeights([1, 0, 0], 0.1)).toEqual([9332, 334, 334]);
    // The floored arms' traffic comes out of the others in proportion.
    expect(learnedWeights([0.7, 0.29, 0.01], 0.3)).toEqual([6364, 2636, 1000]);
  });

  it('keeps every weight an integer the edge takes (1..10,000), even with no exploration', () => {
    expect(learnedWeights([1, 0], 0)).toEqual([9999, 1]);
    expect(learnedWeights([1], 0.1)).toEqual([10_000]);
    expect(learnedWeights([], 0.1)).toEqual([]);
    // All exploration: equal shares.
    expect(learnedWeights([0.9, 0.05, 0.05], 1)).toEqual([3333, 3333, 3333]);
  });

  it('never gives an arm less than its share of exploration, and adds up to the total (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 50 }),
        fc.integer({ min: 0, max: 9_999 }),
        (raw, bps) => {
          const sum = raw.reduce((a, b) => a + b, 0);
          const probabilities = raw.map((p) => (sum > 0 ? p / sum : 1 / raw.length));
          const share = bps / 10_000;
          const weights = learnedWeights(probabilities, share);
          expect(weights.every((w) => Number.isInteger(w) && w >= 1 && w <= WEIGHT_TOTAL)).toBe(true);
          if (Math.ceil((share * WEIGHT_TOTAL) / raw.length) * raw.length < WEIGHT_TOTAL) {
            expect(weights.reduce((a, b) => a + b, 0)).toBe(WEIGHT_TOTAL);
            // In whole units (the total is 10,000 basis points): weight / total >= share / arms.
            for (const w of weights) expect(w * raw.length).toBeGreaterThanOrEqual(bps);
          }
        },
      ),
    );
  });
});

describe('isTinyChange', () => {
  it('compares shares, not raw weights, and a move of a point or more is not tiny', () => {
    expect(isTinyChange([1, 1], [5000, 5000])).toBe(true);
    expect(isTinyChange([3, 1], [7450, 2550])).toBe(true);
    expect(isTinyChange([3, 1], [7400, 2600])).toBe(false);
    expect(isTinyChange([1, 1], [5000, 4000, 1000])).toBe(false);
  });
});
