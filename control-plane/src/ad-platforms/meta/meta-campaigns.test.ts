import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  META_FAKE_TOKEN,
  type MetaFake,
  type MetaFakeInsightRow,
  metaFakeEndpoints,
  startMetaFake,
} from '../../../test/fakes/meta-fake.ts';
import { AdPlatformError, type PlatformCallContext } from '../ad-platform.ts';
import { metaCampaignClient } from './meta-campaigns.ts';

describe('Meta campaigns and spend', () => {
  let fake: MetaFake;
  beforeAll(async () => {
    fake = await startMetaFake();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.knobs.pageSize = 500;
  });

  const context = (
    overrides: { accountId?: string | null; token?: string; url?: string } = {},
  ): PlatformCallContext => ({
    connection: {
      id: 'conn-1',
      platform: 'meta',
      accountId: overrides.accountId === undefined ? '101' : overrides.accountId,
      loginAccountId: null,
      credentials: { accessToken: overrides.token ?? META_FAKE_TOKEN },
    },
    endpoints: metaFakeEndpoints(overrides.url ?? fake.url),
    apps: {},
    fetch,
    timeoutMs: 5_000,
  });
  const readSpend = (range: { from: string; to: string }, ctx = context()) => {
    const read = metaCampaignClient.readSpend;
    if (!read) throw new Error('Meta reads spend');
    return read(range, ctx);
  };
  const thrown = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AdPlatformError);
    return error as AdPlatformError;
  };

  const row = (
    campaign: string,
    day: string,
    spend: string,
    impressions = 100,
    clicks = 7,
  ): MetaFakeInsightRow => ({
    campaign_id: campaign,
    campaign_name: `Campaign ${campaign}`,
    date_start: day,
    spend,
    impressions,
    clicks,
  });

  it('reads daily spend per campaign in exact minor units, asking Insights for campaign level by day', async () => {
    fake.setInsights(
      '101',
      [
        row('2001', '2026-11-01', '12.34', 1_500, 42),
        row('2001', '2026-11-02', '0.1'),
        row('2002', '2026-11-02', '1234567.89'),
        row('2002', '2026-11-03', '5.00'),
        row('2002', '2026-10-31', '9.99'),
      ],
      'EUR',
    );
    const days = await readSpend({ from: '2026-11-01', to: '2026-11-02' });
    expect(days).toEqual([
      {
        platformCampaignId: '2001',
        campaignName: 'Campaign 2001',
        day: '2026-11-01',
        currency: 'EUR',
        costMinor: 1234,
        impressions: 1_500,
        clicks: 42,
      },
      {
        platformCampaignId: '2001',
        campaignName: 'Campaign 2001',
        day: '2026-11-02',
        currency: 'EUR',
        costMinor: 10,
        impressions: 100,
        clicks: 7,
      },
      {
        platformCampaignId: '2002',
        campaignName: 'Campaign 2002',
        day: '2026-11-02',
        currency: 'EUR',
        costMinor: 123_456_789,
        impressions: 100,
        clicks: 7,
      },
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'GET',
      version: 'v21.0',
      path: 'act_101/insights',
      tokenVia: 'header',
      query: {
        level: 'campaign',
        fields: 'campaign_id,campaign_name,spend,impressions,clicks,account_currency',
        time_range: '{"since":"2026-11-01","until":"2026-11-02"}',
        time_increment: '1',
        limit: '500',
      },
    });
    expect(fake.requests[0]?.query).not.toHaveProperty('access_token');
  });

  it('follows the paging cursor until Meta gives no next page', async () => {
    fake.setInsights(
      '102',
      Array.from({ length: 7 }, (_, i) => row(`30${i}`, '2026-11-05', `${i * 100}`)),
      'JPY',
    );
    fake.knobs.pageSize = 3;
    const days = await readSpend({ from: '2026-11-05', to: '2026-11-05' }, context({ accountId: 'act_102' }));
    expect(days.map((d) => [d.platformCampaignId, d.costMinor, d.currency])).toEqual(
      Array.from({ length: 7 }, (_, i) => [`30${i}`, i * 100, 'JPY']),
    );
    expect(fake.requests.map((r) => r.query.after ?? null)).toEqual([
      null,
      expect.any(String),
      expect.any(String),
    ]);
  });

  it('refuses a spend with more decimals than the currency has rather than rounding it', async () => {
    fake.setInsights('106', [row('3101', '2026-11-05', '10.50')], 'JPY');
    const error = await thrown(
      readSpend({ from: '2026-11-05', to: '2026-11-05' }, context({ accountId: '106' })),
    );
    expect(error.kind).toBe('invalid');
    expect(error.message).toContain('too_many_decimals');
  });

  it('lists campaigns with their status, paged', async () => {
    fake.setCampaigns('103', [
      { id: '4001', name: 'Spring', effective_status: 'ACTIVE' },
      { id: '4002', name: 'Summer', effective_status: 'PAUSED' },
      { id: '4003', name: 'Autumn', effective_status: 'IN_PROCESS' },
      { id: '4004', name: 'Winter', effective_status: 'CAMPAIGN_PAUSED' },
    ]);
    fake.knobs.pageSize = 3;
    const campaigns = await metaCampaignClient.listCampaigns(context({ accountId: '103' }));
    expect(campaigns).toEqual([
      { platformCampaignId: '4001', name: 'Spring', status: 'active' },
      { platformCampaignId: '4002', name: 'Summer', status: 'paused' },
      { platformCampaignId: '4003', name: 'Autumn', status: 'other' },
      { platformCampaignId: '4004', name: 'Winter', status: 'other' },
    ]);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]).toMatchObject({
      path: 'act_103/campaigns',
      query: { fields: 'id,name,effective_status' },
    });
  });

  it('pauses and resumes a campaign', async () => {
    fake.setCampaigns('104', [{ id: '5001', name: 'Black Friday', effective_status: 'ACTIVE' }]);
    const setStatus = metaCampaignClient.setCampaignStatus;
    if (!setStatus) throw new Error('Meta sets campaign status');
    await setStatus('5001', 'paused', context({ accountId: '104' }));
    expect(fake.campaigns.get('5001')?.effective_status).toBe('PAUSED');
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: '5001', body: { status: 'PAUSED' } });
    await setStatus('5001', 'active', context({ accountId: '104' }));
    expect(fake.campaigns.get('5001')?.effective_status).toBe('ACTIVE');

    const missing = await thrown(setStatus('5999', 'paused', context({ accountId: '104' })));
    expect(missing.kind).toBe('invalid');
    expect(missing.detail.httpStatus).toBe(400);
  });

  it("throws Meta's errors by kind: expired token, rate limit, outage, unreachable, no account", async () => {
    fake.setCampaigns('105', [{ id: '6001', name: 'X', effective_status: 'ACTIVE' }]);
    fake.tokens.add('meta-expiring');
    fake.expireToken('meta-expiring');
    const auth = await thrown(
      metaCampaignClient.listCampaigns(context({ accountId: '105', token: 'meta-expiring' })),
    );
    expect(auth.kind).toBe('auth');
    expect(auth.message).toContain('190');
    expect(`${auth.message}${auth.detail.response}`).not.toContain('meta-expiring');

    fake.rateLimitNext(1, { code: 80004, regainAccessMinutes: 2 });
    const limited = await thrown(metaCampaignClient.listCampaigns(context({ accountId: '105' })));
    expect(limited.kind).toBe('rate_limited');
    expect(limited.detail.retryAfterMs).toBe(120_000);

    fake.failNext(1, 500);
    const outage = await thrown(
      readSpend({ from: '2026-11-01', to: '2026-11-01' }, context({ accountId: '105' })),
    );
    expect(outage.kind).toBe('unavailable');
    expect(outage.detail.httpStatus).toBe(500);

    const closed = await startMetaFake();
    await closed.close();
    const unreachable = await thrown(metaCampaignClient.listCampaigns(context({ url: closed.url })));
    expect(unreachable.kind).toBe('unavailable');

    const noAccount = await thrown(metaCampaignClient.listCampaigns(context({ accountId: null })));
    expect(noAccount.kind).toBe('not_configured');

    const unknownAccount = await thrown(metaCampaignClient.listCampaigns(context({ accountId: '999' })));
    expect(unknownAccount.kind).toBe('invalid');
  });
});
