import { eq, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptingEdge } from '../../test/fixtures.ts';
import { createTestPostgresDatabase, testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import { createAdvertiser } from '../advertisers/advertiser-service.ts';
import { createAffiliate } from '../affiliates/affiliate-service.ts';
import { connectPostgres, type DatabaseHandle, queryRows } from '../db/database.ts';
import { clicks } from '../db/schema/clicks.ts';
import { conversions } from '../db/schema/conversions.ts';
import { hourlyStats } from '../db/schema/hourly-stats.ts';
import { ingestQuarantine } from '../db/schema/ingest-quarantine.ts';
import { storeBatch } from '../ingest/store-batch.ts';
import { createOffer } from '../offers/offer-service.ts';
import { maintainClickPartitions } from './click-partition-maintenance.ts';
import {
  type ClickPartition,
  dropExpiredClickPartitions,
  ensureClickPartitions,
  listClickPartitions,
} from './click-partitions.ts';

const DAY = 86_400_000;
const today = () => new Date(Math.floor(Date.now() / DAY) * DAY);
const daysFrom = (base: Date, days: number) => new Date(base.getTime() + days * DAY);

/** Every partition starts where the one before ends: no gap, no overlap. */
function expectContiguous(partitions: ClickPartition[]) {
  expect(partitions[0]?.from).toBeNull();
  for (let i = 1; i < partitions.length; i++) {
    expect(partitions[i]?.from?.toISOString()).toBe(partitions[i - 1]?.to.toISOString());
  }
}

/** Where the migrated table's partition ends and the day partitions begin. */
async function legacyEnd(db: DatabaseHandle['db']): Promise<Date> {
  const legacy = (await listClickPartitions(db)).find((p) => p.name === 'clicks_legacy');
  if (!legacy) throw new Error('no clicks_legacy partition');
  return legacy.to;
}

const iso = (at: Date, plusMs = 0) => new Date(at.getTime() + plusMs).toISOString();

async function offerAndAffiliate(db: DatabaseHandle['db']) {
  const advertiser = await createAdvertiser(db, { companyName: 'Partitioned' });
  const affiliate = await createAffiliate({ db, edge: acceptingEdge }, { companyName: 'Aff' });
  const offer = await createOffer(
    { db, edge: acceptingEdge },
    {
      advertiserId: advertiser.id,
      name: 'Daily',
      payoutType: 'cpa',
      payoutMinor: 1000,
      revenueMinor: 1500,
      status: 'active',
      destinationUrl: 'https://adv.example/',
    },
  );
  return { offerId: offer.id, affiliateId: affiliate.id };
}

describe.each(testDatabases)('click partitions on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  it('are a partition a UTC day after the migrated table, a week ahead, made once however often asked', async () => {
    const before = await listClickPartitions(handle.db);
    expect(before[0]?.name).toBe('clicks_legacy');
    expectContiguous(before);
    expect(before.at(-1)?.to.getTime()).toBeGreaterThanOrEqual(daysFrom(today(), 7).getTime());
    expect(before.slice(1).every((p) => p.to.getTime() - (p.from?.getTime() ?? 0) === DAY)).toBe(true);

    // Two instances at once, ten days on: the missing days once, in order.
    const later = daysFrom(today(), 10);
    const made = await Promise.all([
      ensureClickPartitions(handle.db, { now: later, aheadDays: 7 }),
      ensureClickPartitions(handle.db, { now: later, aheadDays: 7 }),
    ]);
    const after = await listClickPartitions(handle.db);
    expectContiguous(after);
    expect(new Set(after.map((p) => p.name)).size).toBe(after.length);
    expect(made.flat()).toHaveLength(after.length - before.length);
    expect(after.at(-1)?.to.toISOString()).toBe(daysFrom(later, 8).toISOString());
    expect(await ensureClickPartitions(handle.db, { now: later, aheadDays: 7 })).toEqual([]);
  });

  it('store each click in its day, find a conversion its click across days, and quarantine a click no partition takes', async () => {
    const db = handle.db;
    const ids = await offerAndAffiliate(db);
    const firstDay = await legacyEnd(db);
    const old = await clickEvent({ ...ids, occurredAt: '2026-01-15T08:00:00.250Z', sub1: 'old-sub' });
    const fresh = await clickEvent({ ...ids, occurredAt: iso(firstDay, 3_600_250), sub1: 'new-sub' });
    const stored = await storeBatch(db, [
      old,
      fresh,
      conversionEvent(old, { occurredAt: new Date().toISOString() }),
      // The edge's click id carries whole seconds: the conversion's clickedAt is the click's, floored.
      conversionEvent(fresh, {
        occurredAt: new Date().toISOString(),
        clickedAt: new Date(Math.floor(Date.parse(fresh.occurredAt) / 1000) * 1000).toISOString(),
      }),
    ]);
    expect(stored).toMatchObject({ clicksInserted: 2, conversionsInserted: 2, quarantined: 0 });
    const where = await queryRows<{ id: string; partition: string }>(
      db,
      sql`SELECT id, tableoid::regclass::text AS partition FROM clicks WHERE offer_id = ${ids.offerId}`,
    );
    expect(Object.fromEntries(where.map((r) => [r.id, r.partition]))).toEqual({
      [old.id]: 'clicks_legacy',
      [fresh.id]: `clicks_p${iso(firstDay).slice(0, 10).replaceAll('-', '')}`,
    });
    const subs = await db
      .select({ clickId: conversions.clickId, sub1: conversions.sub1 })
      .from(conversions)
      .where(eq(conversions.offerId, ids.offerId));
    expect(Object.fromEntries(subs.map((r) => [r.clickId, r.sub1]))).toEqual({
      [old.id]: 'old-sub',
      [fresh.id]: 'new-sub',
    });

    // A redelivered click is still ignored; one a year ahead finds no partition and is set aside
    // with the database's reason while the batch's other click is stored.
    const ahead = await clickEvent({ ...ids, occurredAt: new Date(Date.now() + 365 * DAY).toISOString() });
    const next = await clickEvent({ ...ids, occurredAt: iso(firstDay, 7_200_000) });
    const again = await storeBatch(db, [fresh, ahead, next]);
    expect(again).toMatchObject({ clicksInserted: 1, quarantined: 1 });
    const [held] = await db
      .select({ code: ingestQuarantine.reasonCode, reason: ingestQuarantine.reason })
      .from(ingestQuarantine)
      .where(eq(ingestQuarantine.eventId, ahead.id));
    expect(held?.code).toBe('database_refused');
    expect(held?.reason).toMatch(/no partition/);
  });

  it('drop only the days past the retention, keeping rollups and conversions', async () => {
    const db = handle.db;
    const ids = await offerAndAffiliate(db);
    const firstDay = await legacyEnd(db);
    const old = await clickEvent({ ...ids, occurredAt: '2026-02-01T10:00:00.000Z' });
    const recent = await clickEvent({ ...ids, occurredAt: iso(firstDay, DAY + 3_600_000) });
    await storeBatch(db, [old, recent, conversionEvent(old, { occurredAt: '2026-02-01T11:00:00.000Z' })]);
    const rollup = async () =>
      (
        await db
          .select({ clicks: hourlyStats.clicks, conversions: hourlyStats.conversions })
          .from(hourlyStats)
          .where(eq(hourlyStats.offerId, ids.offerId))
      ).reduce(
        (sum, r) => ({ clicks: sum.clicks + r.clicks, conversions: sum.conversions + r.conversions }),
        {
          clicks: 0,
          conversions: 0,
        },
      );
    expect(await rollup()).toEqual({ clicks: 2, conversions: 1 });

    // Kept 400 days: nothing goes.
    expect(await dropExpiredClickPartitions(db, { now: new Date(), retentionDays: 400 })).toEqual([]);
    // Two days after the first day partition began, one day kept: the migrated partition and the
    // first day go; the second day, where `recent` is, stays.
    const later = daysFrom(firstDay, 2);
    const partitions = await listClickPartitions(db);
    const result = await maintainClickPartitions(db, { aheadDays: 7, retentionDays: 1 }, later);
    expect(result.dropped).toEqual(partitions.filter((p) => p.to <= daysFrom(later, -1)).map((p) => p.name));
    expect(result.dropped).toContain('clicks_legacy');
    const left = await listClickPartitions(db);
    expect(left[0]?.from?.toISOString()).toBe(daysFrom(later, -1).toISOString());
    const remaining = await db.select({ id: clicks.id }).from(clicks).where(eq(clicks.offerId, ids.offerId));
    expect(remaining.map((r) => r.id)).toEqual([recent.id]);
    expect(await rollup()).toEqual({ clicks: 2, conversions: 1 });
    expect(
      await db.select({ id: conversions.id }).from(conversions).where(eq(conversions.clickId, old.id)),
    ).toHaveLength(1);
    const tables = await queryRows<{ name: string }>(
      db,
      sql`SELECT relname AS name FROM pg_class WHERE relname = 'clicks_legacy'`,
    );
    expect(tables).toEqual([]);
  });

  it('detach the next days while the ones before are dropped, and drop those detached meanwhile in one statement', async () => {
    const db = handle.db;
    const expired = (await listClickPartitions(db)).slice(0, 4);
    expect(expired).toHaveLength(4);
    // The first DROP is held until every day is detached: the detaches must not wait for it.
    const statements: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const dialect = new PgDialect();
    const watched = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== 'execute') return Reflect.get(target, property, receiver);
        return async (query: SQL) => {
          const text = dialect.sqlToQuery(query).sql;
          statements.push(text);
          if (text.startsWith('DROP') && statements.filter((s) => s.startsWith('DROP')).length === 1)
            await held;
          return target.execute(query);
        };
      },
    });
    const dropping = dropExpiredClickPartitions(watched, { now: expired[3]!.to, retentionDays: 0 });
    const detaches = () => statements.filter((s) => s.includes('DETACH PARTITION')).length;
    for (let waited = 0; detaches() < 4 && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(detaches()).toBe(4);
    const names = expired.map((p) => p.name);
    expect((await listClickPartitions(db)).map((p) => p.name)).not.toContain(names[3]);
    release();
    expect(await dropping).toEqual(names);
    const drops = statements.filter((s) => s.startsWith('DROP'));
    expect(drops).toHaveLength(2);
    expect(drops[1]).toContain(names[1]);
    expect(drops[1]).toContain(names[3]);
    const tables = await queryRows<{ name: string }>(
      db,
      sql`SELECT relname AS name FROM pg_class WHERE relname IN ${names}`,
    );
    expect(tables).toEqual([]);
  });
});

describe('dropping a day on a real PostgreSQL', () => {
  it('waits for a reader of that day without holding up ingest', async () => {
    const url = await createTestPostgresDatabase();
    const handle = connectPostgres(url, { driver: 'pg' });
    const reader = new pg.Client({ connectionString: url });
    await reader.connect();
    try {
      const ids = await offerAndAffiliate(handle.db);
      await storeBatch(handle.db, [await clickEvent({ ...ids, occurredAt: '2026-03-01T00:00:00.000Z' })]);
      const firstDay = await legacyEnd(handle.db);
      // A long report: its transaction holds the old rows.
      await reader.query('BEGIN');
      expect((await reader.query('SELECT count(*)::int AS n FROM clicks')).rows[0]).toEqual({ n: 1 });

      let dropped: string[] | null = null;
      const dropping = dropExpiredClickPartitions(handle.db, { now: firstDay, retentionDays: 0 }).then(
        (names) => {
          dropped = names;
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(dropped).toBeNull();
      // Meanwhile the ingest stores today's clicks and reads go on.
      const started = Date.now();
      const stored = await storeBatch(handle.db, [
        await clickEvent({ ...ids, occurredAt: iso(firstDay, 3_600_000) }),
      ]);
      expect(stored.clicksInserted).toBe(1);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(dropped).toBeNull();

      await reader.query('COMMIT');
      await dropping;
      expect(dropped).toEqual(['clicks_legacy']);
      const left = await queryRows<{ n: number }>(handle.db, sql`SELECT count(*)::int AS n FROM clicks`);
      expect(left[0]?.n).toBe(1);
    } finally {
      await reader.end();
      await handle.close();
    }
  });
});
