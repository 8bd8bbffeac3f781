import { describe, expect, it } from 'vitest';
import { type CampaignAtEdge, campaignOfCreative, campaignServing } from './campaign-serving.ts';

const campaign = (over: Partial<CampaignAtEdge> = {}): CampaignAtEdge => ({
  id: 1,
  creativeIds: [10, 11],
  startDate: null,
  endDate: null,
  stopped: null,
  dailyBudgetSpentOn: null,
  ...over,
});
const at = (iso: string) => new Date(iso);

describe('campaignServing', () => {
  it('serves inside its schedule, the first and last day included (UTC)', () => {
    const c = campaign({ startDate: '2026-11-24', endDate: '2026-11-30' });
    expect(campaignServing(c, at('2026-11-23T23:59:59Z'))).toBe('campaign_inactive');
    expect(campaignServing(c, at('2026-11-24T00:00:00Z'))).toBe('serving');
    expect(campaignServing(c, at('2026-11-30T23:59:59Z'))).toBe('serving');
    expect(campaignServing(c, at('2026-12-01T00:00:00Z'))).toBe('campaign_inactive');
  });

  it('stops for the rest of the UTC day once the daily budget is spent, and serves again the next day', () => {
    const c = campaign({ dailyBudgetSpentOn: '2026-11-24' });
    expect(campaignServing(c, at('2026-11-24T23:00:00Z'))).toBe('budget_reached');
    expect(campaignServing(c, at('2026-11-25T00:00:00Z'))).toBe('serving');
  });

  it('stays stopped when the total budget is spent or the campaign is not active', () => {
    expect(campaignServing(campaign({ stopped: 'budget_spent' }), at('2030-01-01T00:00:00Z'))).toBe(
      'budget_reached',
    );
    expect(campaignServing(campaign({ stopped: 'not_active' }), at('2030-01-01T00:00:00Z'))).toBe(
      'campaign_inactive',
    );
  });
});

describe('campaignOfCreative', () => {
  it('finds the campaign owning a creative, none for unknown or absent creatives', () => {
    const list = [campaign(), campaign({ id: 2, creativeIds: [20] })];
    expect(campaignOfCreative(list, 20)?.id).toBe(2);
    expect(campaignOfCreative(list, 99)).toBeNull();
    expect(campaignOfCreative(list, null)).toBeNull();
  });
});
