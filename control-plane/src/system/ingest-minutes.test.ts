import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { ingestMinutes, LAG_BUCKET_BOUNDS_SECONDS } from '../db/schema/ingest-minutes.ts';
import { ingestEvents } from '../ingest/ingest-events.ts';
import { pruneIngestMinutes } from './ingest-minutes-pruner.ts';
import { lagFigures, systemStatus } from './system-status.ts';

describe.each(testDatabases)('ingest minutes on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('counts what the ingest stored by minute and lag, redeliveries not again', async () => {
    const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
    // Lags of about 20 s and 45 s: the buckets [15, 30) and [30, 60) leave room for a slow test.
    const fresh = await clickEvent({ offerId: 1, affiliateId: 1, occurredAt: ago(20) });
    const late = await clickEvent({ offerId: 1, affiliateId: 2, occurredAt: ago(45) });
    const sale = conversionEvent(fresh, { occurredAt: ago(20) });
    const batch = { events: [fresh, late, sale] };
    await ingestEvents(handle.db, batch);
    await ingestEvents(handle.db, batch); // a redelivery stores nothing, so counts nothing

    const rows = await handle.db.select().from(ingestMinutes);
    const byBucket = Object.fromEntries(
      rows.map((row) => [LAG_BUCKET_BOUNDS_SECONDS[row.lagBucket], [row.clicks, row.conversions]]),
    );
    expect(byBucket).toEqual({ 30: [1, 1], 60: [1, 0] });
    for (const row of rows) {
      expect(Date.now() - row.minute.getTime()).toBeLessThan(120_000);
      expect(row.lastReceivedAt.getTime()).toBeGreaterThanOrEqual(row.minute.getTime());
    }

    const status = await systemStatus(handle.db, { now: new Date(), windowMinutes: 5 });
    expect(status.ingest).toMatchObject({ clicks: 2, conversions: 1 });
    expect(status.ingest.lastReceivedAt).not.toBeNull();
    expect(status.lag.samples).toBe(3);
    expect(status.lag.p50Seconds).toBe(30);
    expect(status.lag.maxSeconds).toBeGreaterThanOrEqual(45);
    expect(status.lag.maxSeconds).toBeLessThan(60);
    expect(status.lag.p95Seconds).toBe(status.lag.maxSeconds);
  });

  it('prunes figures older than a week and keeps the rest', async () => {
    const now = new Date('2026-11-29T12:00:00.000Z');
    const row = (minute: string) => ({
      minute: new Date(minute),
      shard: 15,
      // A bucket (a day late or more) the ingest test above never writes, whatever its shard.
      lagBucket: LAG_BUCKET_BOUNDS_SECONDS.length,
      clicks: 1,
      maxLagSeconds: 0.1,
      lastReceivedAt: new Date(minute),
    });
    await handle.db
      .insert(ingestMinutes)
      .values([
        row('2026-11-22T11:59:00.000Z'),
        row('2026-11-22T12:00:00.000Z'),
        row('2026-11-29T11:59:00.000Z'),
      ]);
    expect(await pruneIngestMinutes(handle.db, now)).toBe(1);
    const left = await queryRows<{ minute: string }>(
      handle.db,
      sql`SELECT to_char(minute AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS minute FROM ingest_minutes
          WHERE shard = 15 AND lag_bucket = ${LAG_BUCKET_BOUNDS_SECONDS.length} ORDER BY 1`,
    );
    expect(left.map((r) => r.minute)).toEqual(['2026-11-22 12:00', '2026-11-29 11:59']);
  });
});

describe('lagFigures', () => {
  it('gives the bucket bound a percentile falls in, never above the largest lag seen', () => {
    expect(lagFigures([])).toEqual({ samples: 0, p50Seconds: null, p95Seconds: null, maxSeconds: null });
    // 90 events under 0.5 s, 10 in [5, 10) s, the slowest 7.25 s.
    const figures = lagFigures([
      { bucket: 0, events: 90, max: 0.4 },
      { bucket: 5, events: 10, max: 7.25 },
    ]);
    expect(figures).toEqual({ samples: 100, p50Seconds: 0.5, p95Seconds: 7.25, maxSeconds: 7.25 });
    // A day or more: the last bucket has no bound but the largest lag.
    expect(
      lagFigures([{ bucket: LAG_BUCKET_BOUNDS_SECONDS.length, events: 1, max: 90_000 }]).p95Seconds,
    ).toBe(90_000);
  });
});
