import { describe, expect, it } from 'vitest';
import { percent, recommend } from './recommendation.ts';

const arm = (id: number, name: string, clicks: number, probabilityBest: number | null) => ({
  id,
  name,
  clicks,
  probabilityBest,
});

describe('recommend', () => {
  const options = { minClicks: 500, bandit: false, what: 'landing page' };

  it('names the winner and the loser in plain words', () => {
    expect(recommend([arm(1, 'A', 400, 0.03), arm(2, 'B', 400, 0.97)], options)).toEqual({
      verdict: 'winner',
      bestArmId: 2,
      message: '"B" beats "A" with 97% probability; shift traffic to "B".',
    });
    expect(
      recommend([arm(1, 'A', 400, 0.01), arm(2, 'B', 400, 0.96), arm(3, 'C', 400, 0.03)], {
        ...options,
        bandit: true,
      }).message,
    ).toBe('"B" is the best of 3 with 96% probability; the bandit is shifting traffic to "B".');
  });

  it('says when there is not enough data, no clear winner, or nothing to compare', () => {
    expect(recommend([arm(1, 'A', 70, 0.2), arm(2, 'B', 50, 0.8)], options).message).toBe(
      'Not enough data yet: 120 clicks, need 500.',
    );
    expect(recommend([arm(1, 'A', 700, 0.28), arm(2, 'B', 500, 0.72)], options)).toEqual({
      verdict: 'no_clear_winner',
      bestArmId: 2,
      message: 'No clear winner yet: "B" leads with 72% probability of being best; keep testing.',
    });
    expect(recommend([arm(1, 'A', 700, 1)], { ...options, what: 'creative of size 300x250' }).message).toBe(
      'Only one creative of size 300x250 is rotating: add another to test against it.',
    );
  });

  it('never rounds an estimate up to a certainty', () => {
    expect(percent(0.9996)).toBe('over 99%');
    expect(percent(1)).toBe('100%');
    expect(percent(0.001)).toBe('under 1%');
    expect(percent(0.5)).toBe('50%');
  });
});
