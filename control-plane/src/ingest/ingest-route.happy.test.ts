import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOffer } from '../../test/fixtures.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { clicks } from '../db/schema/clicks.ts';
import { conversions } from '../db/schema/conversions.ts';

describe.each(testDatabases)('POST /internal/ingest on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('stores clicks and conversions with payout and revenue from the offer, once, however often the batch comes', async () => {
    const cpa = await createTestOffer(handle.db, {
      payoutType: 'cpa',
      payoutMinor: 1500,
      revenueMinor: 2500,
    });
    const share = await createTestOffer(handle.db, {
      payoutType: 'revshare',
      payoutBps: 1000,
      revenueBps: 1500,
      currency: 'EUR',
    });
    const c1 = await clickEvent({ offerId: cpa.id, affiliateId: 3 });
    const c2 = await clickEvent({
      offerId: share.id,
      affiliateId: 3,
      fraudFlags: ['duplicate_click'],
      unique: false,
    });
    const v1 = conversionEvent(c1);
    const v2 = conversionEvent(c2, { amountMinor: 12345, currency: 'EUR', advertiserStatus: 'pending' });
    const batch = { events: [c1, c2, v1, v2] };

    const first = await app.request('/internal/ingest', await signedIngest(batch));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      received: 4,
      clicksInserted: 2,
      conversionsInserted: 2,
      quarantined: 0,
    });
    const again = await app.request('/internal/ingest', await signedIngest(batch));
    expect(await again.json()).toEqual({
      received: 4,
      clicksInserted: 0,
      conversionsInserted: 0,
      quarantined: 0,
    });

    const storedClicks = await handle.db.select().from(clicks);
    expect(storedClicks.filter((c) => c.id === c1.id || c.id === c2.id)).toHaveLength(2);
    const stored2 = storedClicks.find((c) => c.id === c2.id);
    expect(stored2).toMatchObject({
      offerId: share.id,
      affiliateId: 3,
      sub1: 's1',
      country: 'DE',
      device: 'mobile',
      fraudFlags: ['duplicate_click'],
      isUnique: false,
    });
    expect(stored2?.occurredAt.toISOString()).toBe(c2.occurredAt);

    const stored = await handle.db.select().from(conversions);
    const byId = new Map(stored.map((c) => [c.id, c]));
    expect(byId.get(v1.id)).toMatchObject({
      clickId: c1.id,
      status: 'approved',
      payoutMinor: 1500,
      revenueMinor: 2500,
      payoutCurrency: 'USD',
    });
    // 10% and 15% of 123.45 EUR, rounded half away from zero to whole cents.
    expect(byId.get(v2.id)).toMatchObject({
      status: 'pending',
      advertiserStatus: 'pending',
      amountMinor: 12345,
      payoutMinor: 1235,
      revenueMinor: 1852,
      payoutCurrency: 'EUR',
    });
  });

  it('attributes a conversion whose click has not arrived yet, and takes the click later', async () => {
    const offer = await createTestOffer(handle.db);
    const click = await clickEvent({ offerId: offer.id });
    const conversion = conversionEvent(click);
    await app.request('/internal/ingest', await signedIngest({ events: [conversion] }));
    const late = await app.request('/internal/ingest', await signedIngest({ events: [click] }));
    expect(await late.json()).toMatchObject({ clicksInserted: 1 });
    const rows = (await handle.db.select().from(conversions)).filter((c) => c.clickId === click.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ offerId: offer.id, affiliateId: click.affiliateId, payoutMinor: 1500 });
  });

  it('stores the consent signals an edge sends, and takes events of an older edge without them', async () => {
    const offer = await createTestOffer(handle.db);
    const signals = {
      consent: 'granted',
      gdpr: true,
      gdprConsent: 'CQ-tcf.string',
      adUserData: 'denied',
      adPersonalization: 'granted',
    } as const;
    const click = await clickEvent({ offerId: offer.id, sub1: 'consent', ...signals });
    const conversion = conversionEvent(click, { txid: 'CONSENT-ROUTE' });
    // An older edge's click: no gdpr, gdprConsent, adUserData or adPersonalization at all.
    const older = await clickEvent({ offerId: offer.id, occurredAt: '2026-11-20T10:00:01.000Z' });
    const { gdpr: _g, gdprConsent: _c, adUserData: _u, adPersonalization: _p, ...olderEvent } = older;
    const response = await app.request(
      '/internal/ingest',
      await signedIngest({ events: [click, conversion, olderEvent] }),
    );
    expect(await response.json()).toMatchObject({
      clicksInserted: 2,
      conversionsInserted: 1,
      quarantined: 0,
    });
    const stored = (await handle.db.select().from(clicks)).filter((c) => c.offerId === offer.id);
    expect(stored.find((c) => c.id === click.id)).toMatchObject(signals);
    expect(stored.find((c) => c.id === older.id)).toMatchObject({
      gdpr: null,
      gdprConsent: null,
      adUserData: null,
    });
    const [row] = (await handle.db.select().from(conversions)).filter((c) => c.txid === 'CONSENT-ROUTE');
    expect(row).toMatchObject(signals);
  });

  it('counts a conversion once when the advertiser retries it under a new event id with the same txid', async () => {
    const offer = await createTestOffer(handle.db);
    const click = await clickEvent({ offerId: offer.id });
    const first = conversionEvent(click, { txid: 'ORDER-9' });
    const retry = conversionEvent(click, { txid: 'ORDER-9' });
    const response = await app.request('/internal/ingest', await signedIngest({ events: [first, retry] }));
    expect(await response.json()).toMatchObject({ conversionsInserted: 1 });
  });
});
