import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adPlatformWorld,
  connectAndForward,
  fakeEndpoints,
  testAdPlatformDeps,
} from '../../test/ad-platform-setup.ts';
import { call } from '../../test/api-client.ts';
import { META_FAKE_TOKEN, type MetaFake, startMetaFake } from '../../test/fakes/meta-fake.ts';
import { apiCampaign } from '../../test/offer-setup.ts';
import { ingest } from '../../test/postback-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';
import { followBudgetStops } from './budget-follower.ts';
import type { RoiRow } from './roi-report.ts';

const ACCOUNT = '4455667788';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(testDatabases)('ad-platform spend, campaigns and the ROI report on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let meta: MetaFake;
  let deps: AdPlatformDeps;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof adPlatformWorld>>;
  let connectionId: string;

  beforeAll(async () => {
    handle = await open();
    meta = await startMetaFake();
    deps = testAdPlatformDeps(handle.db, { endpoints: fakeEndpoints({ metaGraphUrl: meta.url }) });
    app = testApp(handle.db, { adPlatforms: deps });
    world = await adPlatformWorld(app, handle.db);
    ({ connectionId } = await connectAndForward(app, world.advertiser, {
      platform: 'meta',
      accessToken: META_FAKE_TOKEN,
      accountId: ACCOUNT,
      settings: { pixelId: '1' },
    }));
    meta.setCampaigns(ACCOUNT, [
      { id: '120001', name: 'Prospecting', effective_status: 'ACTIVE' },
      { id: '120002', name: 'Retargeting', effective_status: 'PAUSED' },
    ]);
    meta.setInsights(ACCOUNT, [
      {
        campaign_id: '120001',
        campaign_name: 'Prospecting',
        date_start: day(0),
        spend: '12.34',
        impressions: 1000,
        clicks: 40,
      },
      {
        campaign_id: '120001',
        campaign_name: 'Prospecting',
        date_start: day(-1),
        spend: '7.66',
        impressions: 500,
        clicks: 10,
      },
      {
        campaign_id: '120002',
        campaign_name: 'Retargeting',
        date_start: day(0),
        spend: '3.00',
        impressions: 90,
        clicks: 3,
      },
    ]);
  });
  afterAll(async () => {
    await meta.close();
    await handle.close();
  });

  const as = (token: string) => ({ token });
  const roi = async (token: string, query = '') => {
    const response = await call(
      app,
      'GET',
      `/api/v1/reports/roi?from=${day(-6)}&to=${day(0)}${query}`,
      as(token),
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: RoiRow[] }).data;
  };

  it('syncs campaigns and daily spend, maps a campaign to an offer, and shows cost, ROAS and ROI beside revenue', async () => {
    const sync = await call(
      app,
      'POST',
      `/api/v1/ad-platforms/connections/${connectionId}/sync`,
      as(world.advertiser.accessToken),
    );
    expect(await sync.json()).toEqual({ campaigns: 2, spendDays: 3, spendSupported: true });
    const listed = await call(
      app,
      'GET',
      `/api/v1/ad-platforms/connections/${connectionId}/campaigns`,
      as(world.advertiser.accessToken),
    );
    expect(((await listed.json()) as { data: unknown[] }).data).toEqual([
      expect.objectContaining({
        platformCampaignId: '120001',
        name: 'Prospecting',
        status: 'active',
        costMinor30d: 2000,
        currency: 'USD',
        canPause: true,
      }),
      expect.objectContaining({
        platformCampaignId: '120002',
        name: 'Retargeting',
        status: 'paused',
        costMinor30d: 300,
      }),
    ]);
    const mapped = await call(
      app,
      'PATCH',
      `/api/v1/ad-platforms/connections/${connectionId}/campaigns/120001`,
      {
        token: world.advertiser.accessToken,
        body: { offerId: world.offer.id },
      },
    );
    expect(mapped.status).toBe(200);

    // Two sales of 50.00 today: 15.00 payout and 20.00 revenue each.
    for (let i = 0; i < 2; i++) {
      const click = await clickEvent({
        offerId: world.offer.id,
        affiliateId: world.affiliate.affiliateId!,
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
      });
      await ingest(app, [click, conversionEvent(click, { occurredAt: new Date().toISOString() })]);
    }
    const adminRows = await roi(world.admin.accessToken, `&advertiserId=${world.offer.advertiserId}`);
    expect(adminRows).toEqual([
      expect.objectContaining({
        offerId: world.offer.id,
        currency: 'USD',
        conversions: 2,
        saleAmountMinor: 10_000,
        revenueMinor: 4_000,
        payoutMinor: 3_000,
        costMinor: 2_000,
        adClicks: 50,
        profitMinor: -1_000,
        roas: 5,
        roi: -0.2,
      }),
      // Spend of a campaign mapped to no offer is shown apart, never lost.
      expect.objectContaining({ offerId: null, costMinor: 300, conversions: 0, roas: 0 }),
    ]);
    // The advertiser's view: no payouts; its return is sales less what it pays the network and the platform.
    const [advertiserRow] = await roi(world.advertiser.accessToken);
    expect(advertiserRow).toMatchObject({
      payoutMinor: null,
      profitMinor: 10_000 - 4_000 - 2_000,
      roi: 0.6667,
    });
    const byDay = await roi(world.advertiser.accessToken, '&groupBy=day');
    expect(
      byDay.filter((r) => r.offerId === world.offer.id).map((r) => [r.day, r.costMinor, r.conversions]),
    ).toEqual([
      [day(-1), 766, 0],
      [day(0), 1234, 2],
    ]);
  });

  it('a resync replaces the restated days, not adds to them', async () => {
    meta.setInsights(ACCOUNT, [
      {
        campaign_id: '120001',
        campaign_name: 'Prospecting',
        date_start: day(0),
        spend: '20.00',
        impressions: 1000,
        clicks: 40,
      },
    ]);
    await call(
      app,
      'POST',
      `/api/v1/ad-platforms/connections/${connectionId}/sync`,
      as(world.advertiser.accessToken),
    );
    const rows = await roi(world.advertiser.accessToken);
    expect(rows.map((r) => [r.offerId, r.costMinor])).toEqual([[world.offer.id, 2_000]]);
  });

  it('pauses and resumes a platform campaign by hand, and follows a TAS budget stop', async () => {
    const pause = await call(
      app,
      'POST',
      `/api/v1/ad-platforms/connections/${connectionId}/campaigns/120001/status`,
      {
        token: world.advertiser.accessToken,
        body: { status: 'paused' },
      },
    );
    expect(await pause.json()).toEqual({ status: 'paused' });
    expect(meta.campaigns.get('120001')?.effective_status).toBe('PAUSED');
    await call(app, 'POST', `/api/v1/ad-platforms/connections/${connectionId}/campaigns/120001/status`, {
      token: world.advertiser.accessToken,
      body: { status: 'active' },
    });
    expect(meta.campaigns.get('120001')?.effective_status).toBe('ACTIVE');

    // A TAS campaign with a 10.00 budget; its platform campaign follows its stop.
    const campaign = await apiCampaign(app, world.advertiser, {
      offerId: world.offer.id,
      budgetMinor: 1_000,
      currency: 'USD',
      status: 'active',
    });
    const follow = await call(
      app,
      'PATCH',
      `/api/v1/ad-platforms/connections/${connectionId}/campaigns/120001`,
      {
        token: world.advertiser.accessToken,
        body: { campaignId: campaign.id, pauseOnBudgetStop: true },
      },
    );
    expect(follow.status).toBe(200);
    expect(await followBudgetStops(deps)).toEqual({ paused: 0, resumed: 0 });
    await handle.db.execute(`UPDATE campaigns SET budget_spent_at = now() WHERE id = ${campaign.id}`);
    expect(await followBudgetStops(deps)).toEqual({ paused: 1, resumed: 0 });
    expect(meta.campaigns.get('120001')?.effective_status).toBe('PAUSED');
    expect(await followBudgetStops(deps)).toEqual({ paused: 0, resumed: 0 });
    await handle.db.execute(`UPDATE campaigns SET budget_spent_at = NULL WHERE id = ${campaign.id}`);
    expect(await followBudgetStops(deps)).toEqual({ paused: 0, resumed: 1 });
    expect(meta.campaigns.get('120001')?.effective_status).toBe('ACTIVE');
  });
});
