import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../control-plane/src/demo/seed-demo.ts';
import { type GoogleFake, startGoogleFake } from '../control-plane/test/fakes/google-fake.ts';
import { META_FAKE_TOKEN, type MetaFake, startMetaFake } from '../control-plane/test/fakes/meta-fake.ts';
import type { Stack } from '../scripts/stack.ts';
import { type Api, apiAs, type Schemas } from './dashboard/api.ts';
import { BROWSER_UA, eventually, startE2EStack } from './e2e-stack.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const META_ACCOUNT = '1029384756';
const GOOGLE_CUSTOMER = '1234567890';
const today = () => new Date().toISOString().slice(0, 10);

/**
 * Issue 12 through the real stack (edge in workerd, control plane, PostgreSQL) with Meta and
 * Google as local fakes speaking their wire formats: a visitor arrives from an ad with gclid and
 * fbclid and consents, the advertiser's server reports the sale with the buyer's email (hashed at
 * the edge), the advertiser approves it, and each platform receives exactly one correctly hashed
 * event; the advertiser's retried postback and a second approval send nothing new; both platforms'
 * spend is read back, mapped to the offer, and shows as cost, ROAS and ROI in the report.
 */
describe('ad platforms through the stack', () => {
  let meta: MetaFake;
  let google: GoogleFake;
  let env: Awaited<ReturnType<typeof startE2EStack>>;
  let stack: Stack;
  let admin: Api;
  let advertiser: Api;
  let affiliateId = 0;

  beforeAll(async () => {
    meta = await startMetaFake();
    google = await startGoogleFake();
    env = await startE2EStack({
      apiEnv: {
        META_GRAPH_URL: meta.url,
        GOOGLE_DATA_MANAGER_URL: google.url,
        GOOGLE_ADS_URL: google.url,
        GOOGLE_TOKEN_URL: google.url,
        GOOGLE_CLIENT_ID: google.clientId,
        GOOGLE_CLIENT_SECRET: google.clientSecret,
        GOOGLE_ADS_DEVELOPER_TOKEN: google.developerToken,
        AD_PLATFORM_SWEEP_INTERVAL_MS: '200',
      },
    });
    stack = env.stack;
    admin = await apiAs(stack.urls.api, DEMO_USERS.admin, DEMO_PASSWORD);
    advertiser = await apiAs(stack.urls.api, DEMO_USERS.advertiser, DEMO_PASSWORD);
    const affiliate = await apiAs(stack.urls.api, DEMO_USERS.affiliate, DEMO_PASSWORD);
    affiliateId = (await affiliate.get<Schemas['User']>('/api/v1/auth/me')).affiliateId ?? 0;
  }, 240_000);
  afterAll(async () => {
    await env?.stop();
    await meta?.close();
    await google?.close();
  });

  it('forwards one hashed event to each platform, once, and shows their spend as ROI', async () => {
    // The advertiser connects both accounts and forwards its approved conversions to each.
    const metaConnection = await advertiser.post<Schemas['AdPlatformConnection']>(
      '/api/v1/ad-platforms/connections',
      {
        platform: 'meta',
        label: 'Meta ads',
        accountId: META_ACCOUNT,
        accessToken: META_FAKE_TOKEN,
      },
    );
    const googleConnection = await advertiser.post<Schemas['AdPlatformConnection']>(
      '/api/v1/ad-platforms/connections',
      {
        platform: 'google',
        label: 'Google Ads',
        accountId: GOOGLE_CUSTOMER,
        accessToken: google.accessToken,
      },
    );
    await advertiser.post('/api/v1/ad-platforms/destinations', {
      connectionId: metaConnection.id,
      name: 'Meta purchases',
      settings: { pixelId: '556677' },
    });
    await advertiser.post('/api/v1/ad-platforms/destinations', {
      connectionId: googleConnection.id,
      name: 'Google purchases',
      settings: { conversionActionId: '987654' },
    });

    // Wherever the local edge places the visitor (Cloudflare's cf.json may say an EU country), its
    // conversion may go: EU/EEA/UK visitors are kept out by default (docs/privacy-tracking.md).
    await advertiser.patch('/api/v1/offers/1', { privacy: { forwardEuVisitors: true } });

    // A visitor from an ad, who consented, clicks the affiliate's link.
    const click = await fetch(
      `${stack.urls.edge}/c/1?aff_id=${affiliateId}&gclid=Cj0KCQ-e2e-gclid&fbclid=IwAR-e2e-fbclid&consent=granted`,
      { redirect: 'manual', headers: { 'user-agent': BROWSER_UA } },
    );
    expect(click.status).toBe(302);
    const clickId = new URL(click.headers.get('location') ?? '').searchParams.get('click_id') ?? '';
    // The advertiser's server reports the sale, pending review, with the buyer's email.
    const postback = `${stack.urls.edge}/postback?click_id=${clickId}&amount=120.00&txid=ORD-E2E-1&status=pending&email=${encodeURIComponent(' Jane.Doe@Gmail.com ')}`;
    expect(await (await fetch(postback)).json()).toMatchObject({ status: 'accepted' });
    const conversion = await eventually(
      () => advertiser.get<{ data: Schemas['Conversion'][] }>('/api/v1/conversions?txid=ORD-E2E-1'),
      (page) => page.data.length === 1,
    );
    const conversionId = conversion.data[0]?.id ?? '';
    // Pending: nothing goes yet.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(meta.events).toHaveLength(0);
    expect(google.conversions).toHaveLength(0);

    const approve = () =>
      advertiser.post('/api/v1/conversions/changes', {
        action: 'approve',
        conversionIds: [conversionId],
        dryRun: false,
      });
    await approve();
    await eventually(
      async () => meta.events.length + google.conversions.length,
      (n) => n >= 2,
    );

    const [metaEvent] = meta.events;
    expect(meta.events).toHaveLength(1);
    expect(metaEvent?.pixelId).toBe('556677');
    expect(metaEvent?.event).toMatchObject({
      event_name: 'Purchase',
      event_id: 'ORD-E2E-1',
      action_source: 'website',
      user_data: {
        em: [sha('jane.doe@gmail.com')],
        client_user_agent: BROWSER_UA,
        fbc: expect.stringMatching(/^fb\.1\.\d{13}\.IwAR-e2e-fbclid$/),
      },
      custom_data: { value: 120, currency: 'USD', order_id: 'ORD-E2E-1' },
    });
    expect(google.conversions).toEqual([
      expect.objectContaining({
        api: 'data_manager',
        customerId: GOOGLE_CUSTOMER,
        conversionActionId: '987654',
        transactionId: 'ORD-E2E-1',
        gclid: 'Cj0KCQ-e2e-gclid',
        conversionValue: 120,
        currency: 'USD',
        // Google's rule: the dots of a Gmail address do not count.
        emailHashes: [sha('janedoe@gmail.com')],
        consent: { adUserData: 'CONSENT_GRANTED', adPersonalization: 'CONSENT_GRANTED' },
      }),
    ]);

    // The advertiser retries its postback and approves again: nothing new reaches either platform.
    expect(await (await fetch(postback)).json()).toMatchObject({ status: 'duplicate' });
    await approve();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(meta.events).toHaveLength(1);
    expect(meta.deduped).toBe(0);
    expect(google.conversions).toHaveLength(1);
    expect(google.duplicates).toBe(0);
    const destinations = await advertiser.get<{ data: Schemas['AdDestination'][] }>(
      '/api/v1/ad-platforms/destinations',
    );
    expect(destinations.data.map((d) => d.counts)).toEqual([
      expect.objectContaining({ sent: 1, pending: 0 }),
      expect.objectContaining({ sent: 1, pending: 0 }),
    ]);

    // Spend read back from both platforms, mapped to the offer, shows beside its revenue.
    meta.setCampaigns(META_ACCOUNT, [
      { id: '2385001', name: 'Meta prospecting', effective_status: 'ACTIVE' },
    ]);
    meta.setInsights(META_ACCOUNT, [
      {
        campaign_id: '2385001',
        campaign_name: 'Meta prospecting',
        date_start: today(),
        spend: '10.00',
        impressions: 4000,
        clicks: 90,
      },
    ]);
    google.setCampaigns(GOOGLE_CUSTOMER, [{ id: '771', name: 'Search brand', status: 'ENABLED' }]);
    google.setSpend(GOOGLE_CUSTOMER, 'USD', [
      {
        campaignId: '771',
        campaignName: 'Search brand',
        date: today(),
        costMicros: '30000000',
        impressions: 800,
        clicks: 60,
      },
    ]);
    for (const [connection, campaign] of [
      [metaConnection.id, '2385001'],
      [googleConnection.id, '771'],
    ] as const) {
      await advertiser.post(`/api/v1/ad-platforms/connections/${connection}/sync`, {});
      await advertiser.patch(`/api/v1/ad-platforms/connections/${connection}/campaigns/${campaign}`, {
        offerId: 1,
      });
    }
    const report = await advertiser.get<{ data: Schemas['RoiRow'][] }>(
      `/api/v1/reports/roi?from=${today()}&to=${today()}`,
    );
    const offerRow = report.data.find((r) => r.offerId === 1);
    expect(offerRow).toMatchObject({
      currency: 'USD',
      saleAmountMinor: 12_000,
      costMinor: 4_000,
      adClicks: 150,
      roas: 3,
    });
    // The admin sees the network's side of the same row: payout included.
    const adminRow = (
      await admin.get<{ data: Schemas['RoiRow'][] }>(`/api/v1/reports/roi?from=${today()}&to=${today()}`)
    ).data.find((r) => r.offerId === 1);
    expect(adminRow?.payoutMinor).toBeGreaterThan(0);
    expect(adminRow?.costMinor).toBe(4_000);
  });
});
