import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOffer } from '../../test/fixtures.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { storeBatch } from '../ingest/store-batch.ts';

const MEASURES = `clicks, unique_clicks, invalid_clicks, bot_clicks, blocked_clicks, velocity_clicks, conversions,
  approved_conversions, pending_conversions, rejected_conversions, payout_minor, revenue_minor`;

describe.each(testDatabases)('hourly_offer_stats on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  /** Both rollups summed by hour, offer and affiliate, as text rows to compare. */
  const both = async () => {
    const sums = MEASURES.split(',')
      .map((m) => `sum(${m.trim()})::bigint`)
      .join(', ');
    const fine = await queryRows<{ r: string }>(
      handle.db,
      sql.raw(`SELECT concat_ws(' ', hour, offer_id, affiliate_id, ${sums}) AS r FROM hourly_stats
               GROUP BY hour, offer_id, affiliate_id ORDER BY 1`),
    );
    const coarse = await queryRows<{ r: string }>(
      handle.db,
      sql.raw(`SELECT concat_ws(' ', hour, offer_id, affiliate_id, ${MEASURES}) AS r FROM hourly_offer_stats
               WHERE clicks <> 0 OR conversions <> 0 OR rejected_conversions <> 0 OR payout_minor <> 0 ORDER BY 1`),
    );
    return { fine: fine.map((x) => x.r), coarse: coarse.map((x) => x.r) };
  };

  it('follows every insert, update and delete of hourly_stats, from any writer', async () => {
    const db = handle.db;
    const [a, b] = [await createTestOffer(db), await createTestOffer(db)];
    const events = [];
    for (let i = 0; i < 40; i++) {
      const click = await clickEvent({
        offerId: i % 2 ? a.id : b.id,
        affiliateId: 1 + (i % 3),
        sub1: `s${i % 5}`,
        country: i % 4 ? 'DE' : 'US',
        occurredAt: new Date(Date.parse('2026-11-20T08:00:00Z') + i * 400_000).toISOString(),
        fraudFlags: i % 7 === 0 ? ['bot'] : [],
      });
      events.push(click);
      if (i % 3 === 0) events.push(conversionEvent(click, { occurredAt: click.occurredAt }));
    }
    // Two batches at once: concurrent statements on the same hours.
    await Promise.all([storeBatch(db, events.slice(0, 30)), storeBatch(db, events.slice(30))]);
    let state = await both();
    expect(state.coarse.length).toBeGreaterThan(5);
    expect(state.coarse).toEqual(state.fine);
    // A change in place (as conversion status changes make) and a row removed.
    await db.execute(sql`UPDATE hourly_stats SET rejected_conversions = rejected_conversions + 1,
                         conversions = conversions - 1, payout_minor = payout_minor - 1500
                         WHERE conversions > 0 AND sub1 = 's0'`);
    await db.execute(sql`DELETE FROM hourly_stats WHERE sub1 = 's4'`);
    state = await both();
    expect(state.coarse).toEqual(state.fine);
  });
});
