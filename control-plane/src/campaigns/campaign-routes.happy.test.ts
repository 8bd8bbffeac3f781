import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, type Session, signUp } from '../../test/api-client.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/campaigns on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let advertiser: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    advertiser = await signUp(app, 'advertiser');
  });
  afterAll(() => handle.close());

  it('creates, reads, lists and changes a campaign with budgets and a schedule', async () => {
    const offer = await apiOffer(app, advertiser, { currency: 'EUR' });
    const created = await call(app, 'POST', '/api/v1/campaigns', {
      token: advertiser.accessToken,
      body: {
        name: 'Black Friday',
        offerId: offer.id,
        startDate: '2026-11-27',
        endDate: '2026-11-30',
        budgetMinor: 500_000,
        dailyBudgetMinor: 150_000,
        currency: 'EUR',
      },
    });
    expect(created.status).toBe(201);
    const campaign = (await created.json()) as { id: number };
    expect(campaign).toMatchObject({
      advertiserId: advertiser.advertiserId,
      status: 'draft',
      startDate: '2026-11-27',
    });
    const changed = await call(app, 'PATCH', `/api/v1/campaigns/${campaign.id}`, {
      token: advertiser.accessToken,
      body: { status: 'active', endDate: '2026-12-01' },
    });
    expect(await changed.json()).toMatchObject({
      status: 'active',
      endDate: '2026-12-01',
      budgetMinor: 500_000,
    });
    const list = await call(app, 'GET', '/api/v1/campaigns', { token: advertiser.accessToken });
    expect(((await list.json()) as { data: { id: number }[] }).data.map((c) => c.id)).toEqual([campaign.id]);
  });

  it('lets an admin create a campaign for any advertiser', async () => {
    const admin = await adminSession(app, handle.db);
    const response = await call(app, 'POST', '/api/v1/campaigns', {
      token: admin.accessToken,
      body: { advertiserId: advertiser.advertiserId, name: 'By admin' },
    });
    expect(response.status).toBe(201);
    const read = await call(
      app,
      'GET',
      `/api/v1/campaigns/${((await response.json()) as { id: number }).id}`,
      {
        token: advertiser.accessToken,
      },
    );
    expect(await read.json()).toMatchObject({ name: 'By admin' });
  });

  it("reports the budget its approved conversions have used, today's included, per currency", async () => {
    const admin = await adminSession(app, handle.db);
    const affiliate = await signUp(app, 'affiliate');
    await call(app, 'PATCH', `/api/v1/affiliates/${affiliate.affiliateId}`, {
      token: admin.accessToken,
      body: { status: 'active' },
    });
    const offer = await apiOffer(app, advertiser, {
      visibility: 'public',
      payoutMinor: 1500,
      revenueMinor: 2500,
    });
    const created = await call(app, 'POST', '/api/v1/campaigns', {
      token: advertiser.accessToken,
      body: {
        name: 'Budgeted',
        offerId: offer.id,
        budgetMinor: 10_000,
        dailyBudgetMinor: 6_000,
        currency: 'USD',
      },
    });
    const campaign = (await created.json()) as { id: number };
    const creative = await call(app, 'POST', '/api/v1/creatives', {
      token: advertiser.accessToken,
      body: { campaignId: campaign.id, name: 'Banner', type: 'image', url: 'https://cdn.test/banner.png' },
    });
    expect(creative.status).toBe(201);
    const creativeId = ((await creative.json()) as { id: number }).id;

    const now = Date.now();
    const at = (msAgo: number) => new Date(now - msAgo).toISOString();
    const click = (msAgo: number) =>
      clickEvent({
        offerId: offer.id,
        affiliateId: affiliate.affiliateId!,
        creativeId,
        occurredAt: at(msAgo),
      });
    const [today, yesterday, pending, otherCampaign] = await Promise.all([
      click(60_000),
      click(2 * 86_400_000),
      click(60_000),
      clickEvent({ offerId: offer.id, affiliateId: affiliate.affiliateId!, occurredAt: at(60_000) }),
    ]);
    const events = [
      today,
      yesterday,
      pending,
      otherCampaign,
      conversionEvent(today, { occurredAt: at(1000) }),
      conversionEvent(yesterday, { occurredAt: at(2 * 86_400_000 - 1000) }),
      conversionEvent(pending, { occurredAt: at(1000), advertiserStatus: 'pending' }),
      conversionEvent(otherCampaign, { occurredAt: at(1000) }),
    ];
    expect((await app.request('/internal/ingest', await signedIngest({ events }))).status).toBe(200);

    const spend = await call(app, 'GET', `/api/v1/campaigns/${campaign.id}/spend`, {
      token: advertiser.accessToken,
    });
    expect(spend.status).toBe(200);
    expect(await spend.json()).toEqual({
      campaignId: campaign.id,
      currency: 'USD',
      budgetMinor: 10_000,
      dailyBudgetMinor: 6_000,
      spentMinor: 5_000,
      spentTodayMinor: 2_500,
      remainingMinor: 5_000,
      remainingTodayMinor: 3_500,
      approvedConversions: 2,
      otherCurrencies: [],
    });
    const stranger = await signUp(app, 'advertiser');
    const hidden = await call(app, 'GET', `/api/v1/campaigns/${campaign.id}/spend`, {
      token: stranger.accessToken,
    });
    expect(hidden.status).toBe(404);
    const asAffiliate = await call(app, 'GET', `/api/v1/campaigns/${campaign.id}/spend`, {
      token: affiliate.accessToken,
    });
    expect(asAffiliate.status).toBe(403);
  });
});
