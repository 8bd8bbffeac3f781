import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOffer } from '../../test/fixtures.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { clicks } from '../db/schema/clicks.ts';
import { conversions } from '../db/schema/conversions.ts';
import { hourlyStats } from '../db/schema/hourly-stats.ts';
import { ingestQuarantine } from '../db/schema/ingest-quarantine.ts';
import { storeBatch } from '../ingest/store-batch.ts';
import { erasePersonalDataPastRetention } from './personal-data-retention.ts';

const HASHES = { email: 'a'.repeat(64), emailGoogle: 'b'.repeat(64) };

describe.each(testDatabases)('personal data retention on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  it('erases ip, user agent and customer hashes past the period, a day at a time, keeping counts and money', async () => {
    const db = handle.db;
    const offer = await createTestOffer(db);
    const ids = { offerId: offer.id, affiliateId: 1 };
    const now = new Date('2026-06-30T12:00:00Z');
    const old = await clickEvent({
      ...ids,
      occurredAt: '2026-05-01T10:00:00.000Z',
      referrer: 'https://blog.example/',
    });
    const recent = await clickEvent({ ...ids, occurredAt: '2026-06-25T10:00:00.000Z' });
    await storeBatch(db, [
      old,
      recent,
      conversionEvent(old, {
        occurredAt: '2026-05-01T11:00:00.000Z',
        ip: '203.0.113.9',
        userAgent: 'UA',
        customerHashes: HASHES,
      }),
      conversionEvent(recent, {
        occurredAt: '2026-06-25T11:00:00.000Z',
        ip: '203.0.113.9',
        userAgent: 'UA',
        customerHashes: HASHES,
      }),
      { type: 'click', id: 'not-a-valid-event' },
    ]);
    await db.update(ingestQuarantine).set({ receivedAt: new Date('2026-05-02T00:00:00Z') });
    const money = async () =>
      (await db.select().from(hourlyStats).where(eq(hourlyStats.offerId, offer.id)))
        .map((r) => [r.hour.toISOString(), r.clicks, r.conversions, r.payoutMinor, r.revenueMinor].join(' '))
        .sort();
    const before = await money();

    const round = await erasePersonalDataPastRetention(db, { now, retentionDays: 30 });
    expect(round).toMatchObject({ clicks: 1, conversions: 1, quarantined: 1 });
    expect(round?.erasedBefore.toISOString()).toBe('2026-05-31T00:00:00.000Z');
    const clickRows = await db
      .select({ id: clicks.id, ip: clicks.ip, ua: clicks.userAgent, referrer: clicks.referrer })
      .from(clicks)
      .where(eq(clicks.offerId, offer.id));
    expect(Object.fromEntries(clickRows.map((r) => [r.id, [r.ip, r.ua, r.referrer]]))).toEqual({
      [old.id]: [null, null, null],
      [recent.id]: [recent.ip, recent.userAgent, null],
    });
    const conversionRows = await db
      .select({
        clickId: conversions.clickId,
        ip: conversions.ip,
        hashes: conversions.customerHashes,
        payout: conversions.payoutMinor,
      })
      .from(conversions)
      .where(eq(conversions.offerId, offer.id));
    expect(Object.fromEntries(conversionRows.map((r) => [r.clickId, [r.ip, r.hashes, r.payout]]))).toEqual({
      [old.id]: [null, null, 1500],
      [recent.id]: ['203.0.113.9', HASHES, 1500],
    });
    expect(await money()).toEqual(before);

    // The next round the same day finds nothing new; a week on, the recent day's turn comes.
    expect(await erasePersonalDataPastRetention(db, { now, retentionDays: 30 })).toMatchObject({
      clicks: 0,
      conversions: 0,
    });
    const later = await erasePersonalDataPastRetention(db, {
      now: new Date('2026-07-30T12:00:00Z'),
      retentionDays: 30,
    });
    expect(later).toMatchObject({ clicks: 1, conversions: 1 });
    const [left] = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM clicks WHERE offer_id = ${offer.id} AND ip IS NOT NULL`,
    );
    expect(left?.n).toBe(0);
    expect(await erasePersonalDataPastRetention(db, { now, retentionDays: 0 })).toBeNull();
  });
});
