import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTikTokFake,
  TIKTOK_FAKE_ACCESS_TOKEN,
  TIKTOK_FAKE_ADVERTISER_ID,
  type TikTokFake,
} from '../../../test/fakes/tiktok-fake.ts';
import { type AdPlatformEndpoints, AdPlatformError, type PlatformCallContext } from '../ad-platform.ts';
import { reportWindows, tiktokCampaignClient, tiktokSpendMinor } from './tiktok-campaigns.ts';

describe('TikTok campaigns and spend', () => {
  let fake: TikTokFake;
  let context: PlatformCallContext;
  beforeAll(async () => {
    fake = await startTikTokFake();
    context = {
      connection: {
        id: 'conn-1',
        platform: 'tiktok',
        accountId: TIKTOK_FAKE_ADVERTISER_ID,
        loginAccountId: null,
        credentials: { accessToken: TIKTOK_FAKE_ACCESS_TOKEN },
      },
      endpoints: { tiktokUrl: fake.url } as AdPlatformEndpoints,
      apps: {},
      fetch,
      timeoutMs: 5_000,
    };
  });
  afterAll(() => fake.close());

  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AdPlatformError);
    return error as AdPlatformError;
  };

  it('reads daily spend per campaign as exact minor units, every page and every 30-day window', async () => {
    fake.addSpendRow({
      campaignId: '1801',
      campaignName: 'Black Friday',
      day: '2026-11-01',
      spend: '1234.56',
      impressions: 10_000,
      clicks: 321,
      currency: 'USD',
    });
    // 1,001 rows in the first window: two pages of 1,000.
    for (let i = 0; i < 1_000; i++) {
      fake.addSpendRow({
        campaignId: `19${i}`,
        campaignName: `Bulk ${i}`,
        day: '2026-11-02',
        spend: '0.10',
        impressions: 1,
        clicks: 0,
        currency: 'USD',
      });
    }
    fake.addSpendRow({
      campaignId: '1802',
      campaignName: 'Yen',
      day: '2026-12-15',
      spend: '980',
      impressions: 5,
      clicks: 1,
      currency: 'JPY',
    });
    fake.addSpendRow({
      campaignId: '1803',
      campaignName: 'Outside',
      day: '2027-01-01',
      spend: '5.00',
      impressions: 5,
      clicks: 1,
      currency: 'USD',
    });
    const before = fake.requests.length;
    const days = await tiktokCampaignClient.readSpend?.({ from: '2026-11-01', to: '2026-12-31' }, context);
    expect(days).toHaveLength(1_002);
    expect(days?.[0]).toEqual({
      platformCampaignId: '1801',
      campaignName: 'Black Friday',
      day: '2026-11-01',
      currency: 'USD',
      costMinor: 123_456,
      impressions: 10_000,
      clicks: 321,
    });
    expect(days?.find((d) => d.platformCampaignId === '1802')).toMatchObject({
      currency: 'JPY',
      costMinor: 980,
    });
    const reportRequests = fake.requests.slice(before);
    // 2026-11-01..11-30 (two pages), 12-01..12-30, 12-31..12-31.
    expect(reportRequests.map((r) => [r.query.start_date, r.query.end_date, r.query.page])).toEqual([
      ['2026-11-01', '2026-11-30', '1'],
      ['2026-11-01', '2026-11-30', '2'],
      ['2026-12-01', '2026-12-30', '1'],
      ['2026-12-31', '2026-12-31', '1'],
    ]);
    expect(reportRequests[0]).toMatchObject({
      method: 'GET',
      path: '/open_api/v1.3/report/integrated/get/',
      accessToken: TIKTOK_FAKE_ACCESS_TOKEN,
      query: {
        advertiser_id: TIKTOK_FAKE_ADVERTISER_ID,
        report_type: 'BASIC',
        data_level: 'AUCTION_CAMPAIGN',
        dimensions: '["campaign_id","stat_time_day"]',
        metrics: '["spend","impressions","clicks","currency","campaign_name"]',
        page_size: '1000',
      },
    });
  });

  it('converts decimal spend exactly, rounding a figure more precise than the currency half up', () => {
    expect(tiktokSpendMinor('0.29', 'USD')).toBe(29);
    expect(tiktokSpendMinor('1.005', 'USD')).toBe(101);
    expect(tiktokSpendMinor('1.004', 'USD')).toBe(100);
    expect(tiktokSpendMinor('12.5', 'KWD')).toBe(12_500);
    expect(() => tiktokSpendMinor('-', 'USD')).toThrow(AdPlatformError);
  });

  it('splits a long range into windows TikTok takes', () => {
    expect(reportWindows({ from: '2026-01-01', to: '2026-01-30' })).toEqual([
      { from: '2026-01-01', to: '2026-01-30' },
    ]);
    expect(reportWindows({ from: '2026-01-01', to: '2026-01-31' })).toEqual([
      { from: '2026-01-01', to: '2026-01-30' },
      { from: '2026-01-31', to: '2026-01-31' },
    ]);
  });

  it('lists campaigns with their status and pauses and resumes one', async () => {
    fake.addCampaign({ campaignId: '1801', campaignName: 'Black Friday', operationStatus: 'ENABLE' });
    fake.addCampaign({ campaignId: '1804', campaignName: 'Winter', operationStatus: 'DISABLE' });
    const campaigns = await tiktokCampaignClient.listCampaigns(context);
    expect(campaigns).toEqual([
      { platformCampaignId: '1801', name: 'Black Friday', status: 'active' },
      { platformCampaignId: '1804', name: 'Winter', status: 'paused' },
    ]);

    await tiktokCampaignClient.setCampaignStatus?.('1801', 'paused', context);
    expect(fake.campaign('1801')?.operationStatus).toBe('DISABLE');
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/open_api/v1.3/campaign/status/update/',
      body: { advertiser_id: TIKTOK_FAKE_ADVERTISER_ID, campaign_ids: ['1801'], operation_status: 'DISABLE' },
    });
    await tiktokCampaignClient.setCampaignStatus?.('1804', 'active', context);
    expect(fake.campaign('1804')?.operationStatus).toBe('ENABLE');

    const unknown = await failure(
      tiktokCampaignClient.setCampaignStatus?.('404', 'paused', context) ?? Promise.resolve(),
    );
    expect(unknown.kind).toBe('invalid');
  });

  it('tells an expired token from the rate limit from an outage', async () => {
    const refused = await failure(
      tiktokCampaignClient.listCampaigns({
        ...context,
        connection: { ...context.connection, credentials: { accessToken: 'tok-0f9e8d7c6b5a' } },
      }),
    );
    expect(refused.kind).toBe('auth');
    expect(refused.detail.response).not.toContain('tok-0f9e8d7c6b5a');

    fake.rateLimitNext(1);
    expect((await failure(tiktokCampaignClient.listCampaigns(context))).kind).toBe('rate_limited');
    fake.failNext(1, 'http_500');
    expect((await failure(tiktokCampaignClient.listCampaigns(context))).kind).toBe('unavailable');
    fake.failNext(1, 'code_50000');
    expect((await failure(tiktokCampaignClient.listCampaigns(context))).kind).toBe('unavailable');
  });

  it('needs the advertiser id', async () => {
    const error = await failure(
      tiktokCampaignClient.listCampaigns({
        ...context,
        connection: { ...context.connection, accountId: null },
      }),
    );
    expect(error.kind).toBe('not_configured');
  });
});
