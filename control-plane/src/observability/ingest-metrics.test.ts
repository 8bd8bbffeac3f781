import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptingEdge } from '../../test/fixtures.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, signedIngest } from '../../test/tracking-events.ts';
import { createAdvertiser } from '../advertisers/advertiser-service.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { clicks } from '../db/schema/clicks.ts';
import { createOffer } from '../offers/offer-service.ts';

/** The value of one series in Prometheus text, or undefined when it is not there. */
function seriesValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const CAP_UNAVAILABLE = 'tas_ingest_click_fallbacks_total{reason="cap_unavailable"}';
const CAP_REACHED = 'tas_ingest_click_fallbacks_total{reason="cap_reached"}';
const FRAUD_UNCHECKED = 'tas_ingest_clicks_fraud_unchecked_total';

/**
 * Clicks the edge decided without their counters (issue 13): counted apart from caps reached, so
 * TasCapCounterUnavailable reads a real signal, and stored never paid, as every fallback.
 */
describe.each(testDatabases)('ingest metrics of counter outages on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { metricsAccess: 'open' });
  });
  afterAll(() => handle.close());

  it('counts a cap_reached click whose cap counter was unreachable as cap_unavailable, and stores it unpaid', async () => {
    const scrape = async () => (await app.request('/metrics')).text();
    const before = await scrape();
    // The series the alert reads exist before the first outage.
    expect(seriesValue(before, CAP_UNAVAILABLE)).toBe(0);
    expect(seriesValue(before, FRAUD_UNCHECKED)).toBe(0);

    const db = handle.db;
    const advertiser = await createAdvertiser(db, { companyName: 'Outage' });
    // cpc: a click sent to the offer pays on its own, so "unpaid" is the fallback's doing.
    const offer = await createOffer(
      { db, edge: acceptingEdge, now: () => new Date('2026-11-01T00:00:00Z') },
      {
        advertiserId: advertiser.id,
        name: 'CPC capped',
        payoutType: 'cpc',
        payoutMinor: 30,
        revenueMinor: 50,
        status: 'active',
        destinationUrl: 'https://adv.example/',
      },
    );
    const base = { offerId: offer.id, affiliateId: 3 };
    const capped = { outcome: 'fallback', reason: 'cap_reached' } as const;
    const outage = await clickEvent({ ...base, ...capped, capCounterUnavailable: true });
    const reached = await clickEvent({ ...base, ...capped, occurredAt: '2026-11-20T10:00:01.000Z' });
    const unchecked = await clickEvent({
      ...base,
      occurredAt: '2026-11-20T10:00:02.000Z',
      fraudCounterUnavailable: true,
    });
    // An older edge's click: no markers, so a cap_reached as before.
    const {
      capCounterUnavailable: _cap,
      fraudCounterUnavailable: _fraud,
      ...older
    } = await clickEvent({
      ...base,
      ...capped,
      occurredAt: '2026-11-20T10:00:03.000Z',
    });
    const response = await app.request(
      '/internal/ingest',
      await signedIngest({ events: [outage, reached, unchecked, older] }),
    );
    expect(await response.json()).toMatchObject({ clicksInserted: 4, quarantined: 0 });

    const after = await scrape();
    expect(seriesValue(after, CAP_UNAVAILABLE)).toBe(1);
    expect(seriesValue(after, CAP_REACHED)).toBe(2);
    expect(seriesValue(after, FRAUD_UNCHECKED)).toBe(1);

    const rows = await db.select().from(clicks).where(eq(clicks.offerId, offer.id));
    const byId = new Map(rows.map((r) => [r.id, [r.outcome, r.reason, r.payoutMinor, r.revenueMinor]]));
    expect([outage, reached, unchecked, older].map((e) => byId.get(e.id))).toEqual([
      ['fallback', 'cap_unavailable', 0, 0],
      ['fallback', 'cap_reached', 0, 0],
      // Fraud counters fail open: the click went to the offer and is paid, as before.
      ['redirect', null, 30, 50],
      ['fallback', 'cap_reached', 0, 0],
    ]);
  });
});
