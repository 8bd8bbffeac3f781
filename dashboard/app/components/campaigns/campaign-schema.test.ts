import { describe, expect, it } from 'vitest';
import type { Campaign } from './campaign-labels';
import { campaignBody, changedFields, moneyToMinor } from './campaign-schema';

const campaign: Campaign = {
  id: 4,
  advertiserId: 1,
  offerId: 1,
  name: 'Held',
  description: null,
  status: 'active',
  startDate: null,
  endDate: null,
  budgetMinor: 1000,
  dailyBudgetMinor: null,
  currency: 'EUR',
  budgetSpentAt: null,
  dailyBudgetSpentOn: null,
  serving: 'currency_mismatch',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

describe('campaign money and changes', () => {
  it('reads decimals exactly, in the currency’s minor unit', () => {
    expect(moneyToMinor('1,234.56', 'USD')).toEqual({ ok: true, minor: 123456 });
    expect(moneyToMinor('0.1', 'USD')).toEqual({ ok: true, minor: 10 });
    expect(moneyToMinor('1.005', 'KWD')).toEqual({ ok: true, minor: 1005 });
    expect(moneyToMinor('500', 'JPY')).toEqual({ ok: true, minor: 500 });
    expect(moneyToMinor('-5', 'USD')).toMatchObject({ ok: false });
    expect(moneyToMinor('abc', 'USD')).toMatchObject({ ok: false });
  });

  it('patches only what changed, so a held campaign can still be paused or renamed', () => {
    const form = {
      name: 'Held',
      status: 'paused' as const,
      offerId: '1',
      budget: '10.00',
      currency: 'EUR',
    };
    expect(changedFields(campaign, campaignBody(form))).toEqual({ status: 'paused' });
  });

  it('restates budget and currency together when either changes', () => {
    const form = { name: 'Held', status: 'active' as const, offerId: '1', budget: '10.00', currency: 'USD' };
    expect(changedFields(campaign, campaignBody(form))).toEqual({
      budgetMinor: 1000,
      dailyBudgetMinor: null,
      currency: 'USD',
    });
  });
});
