import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson-interval.ts';

describe('wilsonInterval', () => {
  it('matches the published 95% Wilson bounds and stays inside [0, 1]', () => {
    const round = (x: { low: number; high: number } | null) =>
      x && [Math.round(x.low * 10_000) / 10_000, Math.round(x.high * 10_000) / 10_000];
    expect(round(wilsonInterval(12, 600))).toEqual([0.0115, 0.0346]);
    expect(round(wilsonInterval(0, 50))).toEqual([0, 0.0713]);
    expect(round(wilsonInterval(50, 50))).toEqual([0.9287, 1]);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});
