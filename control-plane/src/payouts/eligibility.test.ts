import { describe, expect, it } from 'vitest';
import { decidePayout, type PayableRow } from './eligibility.ts';
import { DEFAULT_NETWORK_PAYOUT_SETTINGS } from './payout-settings.ts';

const cutoff = new Date('2026-11-30T00:00:00Z');
const network = {
  ...DEFAULT_NETWORK_PAYOUT_SETTINGS,
  defaultMinimumMinor: 5000,
  minimumByCurrency: { EUR: 2000 },
};
const row = (over: Partial<PayableRow> = {}): PayableRow => ({
  accountId: 1,
  affiliateId: 7,
  currency: 'USD',
  balanceMinor: 10_000,
  heldMinor: 0,
  holdDays: 30,
  affiliateActive: true,
  method: 'bank_transfer',
  stripeAccountId: null,
  stripePayoutsEnabled: false,
  hasPaypalReceiver: false,
  minimumMinor: null,
  ...over,
});

describe('decidePayout', () => {
  it('pays the balance less what is held, covering credits up to the cutoff less the hold', () => {
    const d = decidePayout(row({ heldMinor: 3000 }), network, cutoff);
    expect(d).toMatchObject({ pay: true, amountMinor: 7000, dueMinor: 7000 });
    expect(d.coversUntil.toISOString()).toBe('2026-10-31T00:00:00.000Z');
  });

  it('never pays below zero, and carries a negative balance (a clawback)', () => {
    expect(decidePayout(row({ balanceMinor: 2000, heldMinor: 3000 }), network, cutoff)).toMatchObject({
      pay: false,
      dueMinor: 0,
      reason: 'below_minimum',
    });
    expect(decidePayout(row({ balanceMinor: -1500 }), network, cutoff)).toMatchObject({
      pay: false,
      reason: 'negative_balance_carried',
    });
  });

  it("takes the affiliate's minimum, else the currency's, else the default", () => {
    expect(decidePayout(row({ balanceMinor: 4000 }), network, cutoff)).toMatchObject({
      reason: 'below_minimum',
    });
    expect(decidePayout(row({ balanceMinor: 4000, minimumMinor: 1000 }), network, cutoff)).toMatchObject({
      pay: true,
    });
    expect(decidePayout(row({ balanceMinor: 2500, currency: 'EUR' }), network, cutoff)).toMatchObject({
      pay: true,
    });
  });

  it('names why a method is not ready', () => {
    expect(decidePayout(row({ method: null }), network, cutoff)).toMatchObject({ reason: 'no_method' });
    expect(
      decidePayout(row({ method: 'stripe_connect', stripeAccountId: 'acct_1' }), network, cutoff),
    ).toMatchObject({
      reason: 'account_not_ready',
    });
    expect(decidePayout(row({ method: 'paypal' }), network, cutoff)).toMatchObject({
      reason: 'account_not_ready',
    });
    expect(
      decidePayout(
        row({ method: 'stripe_connect', stripeAccountId: 'acct_1', stripePayoutsEnabled: true }),
        network,
        cutoff,
      ),
    ).toMatchObject({ pay: true });
    expect(decidePayout(row({ affiliateActive: false }), network, cutoff)).toMatchObject({
      reason: 'affiliate_not_active',
    });
  });
});
