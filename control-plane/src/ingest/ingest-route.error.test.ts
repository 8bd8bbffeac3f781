import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOffer } from '../../test/fixtures.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import { connectPostgres, type DatabaseHandle } from '../db/database.ts';
import { clicks } from '../db/schema/clicks.ts';
import { conversions } from '../db/schema/conversions.ts';
import { ingestQuarantine } from '../db/schema/ingest-quarantine.ts';

type ErrorBody = { error: { code: string; message: string; requestId: string } };

describe.each(testDatabases)('POST /internal/ingest with bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  const quarantined = () => handle.db.select().from(ingestQuarantine);

  it('answers 400 with a code for a body that is not a batch, and writes nothing', async () => {
    const click = await clickEvent();
    const bad: [string, unknown, string][] = [
      ['not json', '{"events": [', 'invalid_json'],
      ['no events', { events: [] }, 'invalid_request'],
      ['not an object', [click], 'invalid_request'],
      ['events not a list', { events: click }, 'invalid_request'],
    ];
    for (const [name, body, code] of bad) {
      const response = await app.request('/internal/ingest', await signedIngest(body));
      expect(response.status, name).toBe(400);
      const error = ((await response.json()) as ErrorBody).error;
      expect(error.code, name).toBe(code);
      expect(error.message.length).toBeGreaterThan(10);
    }
    expect(await handle.db.select().from(clicks)).toEqual([]);
  });

  it('stores every good event of a batch and quarantines each bad one with its reason', async () => {
    const offer = await createTestOffer(handle.db);
    const good = await clickEvent({ offerId: offer.id });
    const goodConversion = conversionEvent(good);
    const bad: [string, unknown][] = [
      ['unknown type', { ...good, id: (await clickEvent()).id, type: 'refund' }],
      ['bad click id', { ...good, id: 'short' }],
      ['float amount', { ...conversionEvent(good), amountMinor: 12.5 }],
      ['negative amount', { ...conversionEvent(good), amountMinor: -500 }],
      ['bad country', { ...good, id: (await clickEvent()).id, country: 'germany' }],
      ['oversized sub', { ...good, id: (await clickEvent()).id, sub1: 'x'.repeat(256) }],
      ['bad time', { ...good, id: (await clickEvent()).id, occurredAt: 'yesterday' }],
      ['NUL in a sub', { ...good, id: (await clickEvent()).id, sub1: '\u0000x' }],
      ['int4 overflow', { ...good, id: (await clickEvent()).id, creativeId: 4_000_000_000 }],
      ['not an object', 'nope'],
    ];
    const body = { events: [bad[0]![1], good, ...bad.slice(1).map(([, e]) => e), goodConversion] };
    const response = await app.request('/internal/ingest', await signedIngest(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      received: bad.length + 2,
      clicksInserted: 1,
      conversionsInserted: 1,
      quarantined: bad.length,
    });
    expect((await handle.db.select().from(clicks).where(eq(clicks.id, good.id))).length).toBe(1);
    expect(
      (await handle.db.select().from(conversions).where(eq(conversions.id, goodConversion.id))).length,
    ).toBe(1);
    const rows = await quarantined();
    expect(rows).toHaveLength(bad.length);
    for (const row of rows) {
      expect(row.reasonCode).toBe('invalid_event');
      expect(row.reason).toMatch(/^Not a valid event: /);
    }
    // The NUL sub is kept as JSON text, escaped, so it can be read and replayed after a fix.
    expect(rows.some((r) => r.body.includes('\\u0000x'))).toBe(true);
    // A redelivery quarantines nothing twice.
    await app.request('/internal/ingest', await signedIngest(body));
    expect(await quarantined()).toHaveLength(bad.length);
  });

  it('stores a batch in parts when the database refuses it, quarantining only the event it refuses', async () => {
    const offer = await createTestOffer(handle.db, { payoutType: 'cpa', payoutMinor: 1000 });
    const clicksOfBatch = await Promise.all(
      Array.from({ length: 20 }, (_, i) => clickEvent({ offerId: offer.id, affiliateId: 40 + (i % 3) })),
    );
    const victim = clicksOfBatch[0]!;
    const conversion = conversionEvent(victim);
    // The conversion's rollup row is one payout short of bigint's end: adding it overflows, which
    // schema validation cannot know. The database refuses the statement, not the batch.
    await handle.db.execute(sql`
      INSERT INTO hourly_stats (hour, offer_id, affiliate_id, sub1, country, device, payout_minor)
      VALUES (date_trunc('hour', ${conversion.occurredAt}::timestamptz, 'UTC'), ${offer.id}, ${victim.affiliateId},
              's1', 'DE', 'mobile', 9223372036854775000)`);
    const response = await app.request(
      '/internal/ingest',
      await signedIngest({ events: [...clicksOfBatch, conversion] }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      received: 21,
      clicksInserted: 20,
      conversionsInserted: 0,
      quarantined: 1,
    });
    const [row] = await handle.db
      .select()
      .from(ingestQuarantine)
      .where(eq(ingestQuarantine.eventId, conversion.id));
    expect(row?.reasonCode).toBe('database_refused');
    expect(row?.reason).toMatch(/out of range/);
  });

  it('answers 503 when the database cannot be reached, so the batch is retried whole', async () => {
    const down = connectPostgres('postgres://postgres@127.0.0.1:9/none', { driver: 'pg' });
    const unreachable = testApp(down.db);
    const response = await unreachable.request(
      '/internal/ingest',
      await signedIngest({ events: [await clickEvent()] }),
    );
    expect(response.status).toBe(503);
    expect(((await response.json()) as ErrorBody).error.code).toBe('database_unavailable');
    await down.close();
  });

  it('answers 413 for a body over the limit, whatever its Content-Length says', async () => {
    const response = await app.request('/internal/ingest', await signedIngest('x'.repeat(9 * 1024 * 1024)));
    expect(response.status).toBe(413);
    // A body streamed without a length is cut off as it passes the limit, not read whole first.
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 64) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await app.request('/internal/ingest', {
      method: 'POST',
      body: stream,
      headers: { 'x-tas-signature': 'v1,t=1,s=00' },
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(16);
  });
});
