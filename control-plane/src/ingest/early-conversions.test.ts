import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOffer } from '../../test/fixtures.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { conversions } from '../db/schema/conversions.ts';
import { CLICK_WAIT_SECONDS } from './early-conversions.ts';

/** A time `seconds` ago, in whole seconds as click ids carry it. */
const ago = (seconds: number) => new Date(Math.floor(Date.now() / 1000 - seconds) * 1000).toISOString();

describe.each(testDatabases)('a conversion that comes before its click, on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let offerId: number;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    offerId = (await createTestOffer(handle.db, { payoutType: 'cpa', payoutMinor: 700, revenueMinor: 1000 }))
      .id;
  });
  afterAll(() => handle.close());

  const ingest = async (body: unknown) => {
    const response = await app.request('/internal/ingest', await signedIngest(body));
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };
  const stored = (ids: string[]) => handle.db.select().from(conversions).where(inArray(conversions.id, ids));

  it('is held back while its click is recent and missing, then stored with what it takes from the click', async () => {
    const click = await clickEvent({
      offerId,
      affiliateId: 41,
      occurredAt: ago(30),
      sub1: 'launch',
      country: 'FR',
    });
    const conversion = conversionEvent(click, { occurredAt: ago(5) });

    const early = await ingest({ events: [conversion], canDefer: true });
    expect(early).toMatchObject({
      received: 1,
      conversionsInserted: 0,
      quarantined: 0,
      deferred: [conversion.id],
    });
    expect(await stored([conversion.id])).toEqual([]);

    expect(await ingest({ events: [click], canDefer: true })).toMatchObject({
      clicksInserted: 1,
      deferred: [],
    });
    expect(await ingest({ events: [conversion], canDefer: true })).toMatchObject({
      conversionsInserted: 1,
      deferred: [],
    });
    const [row] = await stored([conversion.id]);
    // Copied from the click: stored before it, the conversion would have had none of these.
    expect(row).toMatchObject({ sub1: 'launch', country: 'FR', device: 'mobile', payoutMinor: 700 });
  });

  it('is stored at once when its click is in the same batch, and the rest of a batch is never held back', async () => {
    const withClick = await clickEvent({ offerId, affiliateId: 42, occurredAt: ago(20) });
    const missing = await clickEvent({ offerId, affiliateId: 43, occurredAt: ago(20) });
    const waits = conversionEvent(missing, { occurredAt: ago(2) });
    const goes = conversionEvent(withClick, { occurredAt: ago(2) });
    const answer = await ingest({ events: [goes, withClick, waits], canDefer: true });
    expect(answer).toMatchObject({
      received: 3,
      clicksInserted: 1,
      conversionsInserted: 1,
      deferred: [waits.id],
    });
    expect((await stored([goes.id, waits.id])).map((r) => r.id)).toEqual([goes.id]);
  });

  it('is stored without its click once the click is older than the wait, or when the sender cannot send it again', async () => {
    const lost = await clickEvent({ offerId, affiliateId: 44, occurredAt: ago(CLICK_WAIT_SECONDS + 60) });
    const late = conversionEvent(lost, { occurredAt: ago(1) });
    expect(await ingest({ events: [late], canDefer: true })).toMatchObject({
      conversionsInserted: 1,
      deferred: [],
    });

    // An older edge, the dead-letter consumer and quarantine replays do not say canDefer: the
    // answer is what it always was, and everything is stored.
    const recent = await clickEvent({ offerId, affiliateId: 45, occurredAt: ago(10) });
    const now = conversionEvent(recent, { occurredAt: ago(1) });
    expect(await ingest({ events: [now] })).toEqual({
      received: 1,
      clicksInserted: 0,
      conversionsInserted: 1,
      quarantined: 0,
    });
    const [row] = await handle.db.select().from(conversions).where(eq(conversions.id, now.id));
    expect(row?.sub1).toBeNull();
  });
});
