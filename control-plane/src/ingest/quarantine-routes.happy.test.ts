import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, type Session } from '../../test/api-client.ts';
import { createTestOffer } from '../../test/fixtures.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { conversions } from '../db/schema/conversions.ts';

type Page = {
  data: {
    id: number;
    eventId: string | null;
    reasonCode: string;
    reason: string;
    replayedAt: string | null;
  }[];
  nextAfter: number | null;
};

describe.each(testDatabases)('/api/v1/ingest-quarantine on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    admin = await adminSession(app, handle.db);
  });
  afterAll(() => handle.close());

  const list = async (query = '') =>
    (await (
      await call(app, 'GET', `/api/v1/ingest-quarantine${query}`, { token: admin.accessToken })
    ).json()) as Page;

  it('lists what the ingest refused with its reason, and stores it on replay once the cause is fixed', async () => {
    const offer = await createTestOffer(handle.db, { payoutType: 'cpa', payoutMinor: 1000 });
    const click = await clickEvent({ offerId: offer.id });
    const conversion = conversionEvent(click);
    // A rollup row at bigint's end: the database refuses to add the conversion to it.
    const rollupKey = sql`hour = date_trunc('hour', ${conversion.occurredAt}::timestamptz, 'UTC')
      AND offer_id = ${offer.id} AND affiliate_id = ${click.affiliateId}`;
    await handle.db.execute(sql`
      INSERT INTO hourly_stats (hour, offer_id, affiliate_id, sub1, country, device, payout_minor)
      VALUES (date_trunc('hour', ${conversion.occurredAt}::timestamptz, 'UTC'), ${offer.id}, ${click.affiliateId},
              's1', 'DE', 'mobile', 9223372036854775000)`);
    await app.request(
      '/internal/ingest',
      await signedIngest({ events: [click, conversion, { type: 'nonsense' }] }),
    );

    const page = await list();
    expect(page.data.map((q) => [q.eventId, q.reasonCode])).toEqual([
      [null, 'invalid_event'],
      [conversion.id, 'database_refused'],
    ]);
    const [nonsense, refused] = page.data;

    // Still broken: the replay stores nothing and says why.
    const again = await call(app, 'POST', '/api/v1/ingest-quarantine/replay', {
      token: admin.accessToken,
      body: { ids: [refused!.id] },
    });
    expect(await again.json()).toEqual({
      replayed: 0,
      stillQuarantined: [
        { id: refused!.id, reasonCode: 'database_refused', reason: expect.stringMatching(/out of range/) },
      ],
    });

    // The operator repairs the rollup row; the replay now stores the conversion, once.
    await handle.db.execute(sql`UPDATE hourly_stats SET payout_minor = 0 WHERE ${rollupKey}`);
    const replay = await call(app, 'POST', '/api/v1/ingest-quarantine/replay', {
      token: admin.accessToken,
      body: {},
    });
    expect(await replay.json()).toEqual({
      replayed: 1,
      stillQuarantined: [{ id: nonsense!.id, reasonCode: 'invalid_event', reason: expect.any(String) }],
    });
    expect(await handle.db.select().from(conversions).where(eq(conversions.id, conversion.id))).toHaveLength(
      1,
    );
    expect((await list()).data.map((q) => q.id)).toEqual([nonsense!.id]);
    const history = await list('?includeReplayed=true');
    expect(history.data.find((q) => q.id === refused!.id)?.replayedAt).toEqual(expect.any(String));
  });
});
