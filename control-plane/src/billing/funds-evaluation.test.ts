import { describe, expect, it } from 'vitest';
import { evaluateFunds, type FundsState, noticeFor } from './funds-evaluation.ts';

const prepaid = { mode: 'prepaid' as const, creditLimitByCurrency: {}, lowBalanceByCurrency: { USD: 5000 } };
const postpaid = (limits: Record<string, number>) => ({
  mode: 'postpaid' as const,
  creditLimitByCurrency: limits,
  lowBalanceByCurrency: { USD: 5000 },
});
// Stored as the ledger stores an advertiser's account: a top-up credits (negative), revenue debits.
const sums = (posted: number, pending = 0) => ({ posted, pending });

describe('evaluateFunds', () => {
  it('prepaid: what is left after holds; exhausted at zero, low below the threshold', () => {
    expect(evaluateFunds(prepaid, 'USD', sums(-10_000, 2000))).toMatchObject({
      balanceMinor: 10_000,
      pendingHoldsMinor: 2000,
      availableMinor: 8000,
      state: 'available',
    });
    expect(evaluateFunds(prepaid, 'USD', sums(-10_000, 5001)).state).toBe('low');
    expect(evaluateFunds(prepaid, 'USD', sums(-10_000, 5000)).state).toBe('available');
    expect(evaluateFunds(prepaid, 'USD', sums(-10_000, 10_000)).state).toBe('exhausted');
    // No money at all in a currency is no money to spend there.
    expect(evaluateFunds(prepaid, 'EUR', sums(0))).toMatchObject({
      availableMinor: 0,
      lowBalanceMinor: null,
      state: 'exhausted',
    });
    expect(evaluateFunds(prepaid, 'EUR', sums(-1)).state).toBe('available');
  });

  it('postpaid: exhausted once owed, pending included, reaches the limit; no limit never stops', () => {
    expect(evaluateFunds(postpaid({ USD: 10_000 }), 'USD', sums(6000, 3999))).toMatchObject({
      balanceMinor: -6000,
      creditLimitMinor: 10_000,
      lowBalanceMinor: null,
      availableMinor: 1,
      state: 'available',
    });
    expect(evaluateFunds(postpaid({ USD: 10_000 }), 'USD', sums(6000, 4000)).state).toBe('exhausted');
    // Money paid in ahead counts against what is owed.
    expect(evaluateFunds(postpaid({ USD: 10_000 }), 'USD', sums(-5000, 14_000)).state).toBe('available');
    expect(evaluateFunds(postpaid({ USD: 10_000 }), 'EUR', sums(1_000_000_000))).toMatchObject({
      availableMinor: null,
      state: 'available',
    });
  });
});

describe('noticeFor', () => {
  const run = (states: FundsState[]) => {
    let noticed: FundsState | null = null;
    return states.map((state) => {
      const next = noticeFor(state, noticed);
      noticed = next.noticed;
      return next.send;
    });
  };

  it('notices a fall below the threshold and running out once each, until funds are available again', () => {
    expect(run(['available', 'low', 'low', 'exhausted', 'low', 'exhausted', 'available', 'low'])).toEqual([
      null,
      'low',
      null,
      'exhausted',
      null,
      null,
      null,
      'low',
    ]);
    // Running out at once says so once, and a partial top-up after it says nothing of "low".
    expect(run(['exhausted', 'low', 'exhausted'])).toEqual(['exhausted', null, null]);
  });
});
