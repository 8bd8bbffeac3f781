/**
 * `pnpm --filter @tas/control-plane bench:partitions`: BENCH_CLICKS (10,000,000) clicks over 30
 * days written by SQL straight into the day partitions of `clicks` (decision 032), with the hourly
 * rollups built from them as the ingest builds them (the hourly and daily ones by offer by its
 * triggers); then the 30-day report by day x offer x affiliate, the same by sub1, and the retention
 * dropping the month of raw clicks while an ingest of the next day's clicks and reports run beside
 * it, with where the drop's time went (its sessions sampled as it runs). Loading through
 * the signed ingest (and its rate against COPY) is bench/ingest.ts's. Prints figures only.
 */

import { sql } from 'drizzle-orm';
import { createAdvertiser } from '../src/advertisers/advertiser-service.ts';
import { createAffiliate } from '../src/affiliates/affiliate-service.ts';
import { connectPostgres, queryRows } from '../src/db/database.ts';
import { storeBatch } from '../src/ingest/store-batch.ts';
import { createOffer } from '../src/offers/offer-service.ts';
import { dropExpiredClickPartitions, ensureClickPartitions } from '../src/partitions/click-partitions.ts';
import { runReport } from '../src/reports/report-query.ts';
import { startEphemeralPostgres } from '../test/ephemeral-postgres.ts';
import { clickEvent } from '../test/tracking-events.ts';
import { benchAdmin, noEdge } from './bench-fixtures.ts';

const CLICKS = Number(process.env.BENCH_CLICKS ?? 10_000_000);
const DAYS = 30;
const DAY_MS = 86_400_000;
const START = (Math.floor(Date.now() / DAY_MS) + 1) * DAY_MS;
const fmt = (n: number) => n.toLocaleString('en-US');
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function main() {
  const server = await startEphemeralPostgres();
  const database = connectPostgres(server.url(), { driver: 'pg' });
  const db = database.db;
  try {
    await database.migrate();
    await ensureClickPartitions(db, { now: new Date(START), aheadDays: DAYS + 1 });
    const advertiser = await createAdvertiser(db, { companyName: 'Bench' });
    const offers: number[] = [];
    for (let i = 0; i < 20; i++) {
      const offer = await createOffer(
        { db, edge: noEdge },
        {
          advertiserId: advertiser.id,
          name: `O${i}`,
          payoutType: 'cpa',
          payoutMinor: 1000,
          revenueMinor: 1500,
          status: 'active',
          destinationUrl: 'https://adv.example/',
        },
      );
      offers.push(offer.id);
    }
    const affiliates: number[] = [];
    for (let i = 0; i < 200; i++)
      affiliates.push((await createAffiliate({ db, edge: noEdge }, { companyName: `A${i}` })).id);

    // Skewed: a few affiliates and subs carry most clicks, and each affiliate runs three of the
    // twenty offers (a network's affiliates do not all run every offer).
    let t = performance.now();
    const chunk = 1_000_000;
    for (let from = 0; from < CLICKS; from += chunk) {
      await db.execute(sql`
        INSERT INTO clicks (id, occurred_at, offer_id, affiliate_id, sub1, sub2, country, device, os, ip, user_agent,
                            outcome, fraud_flags, is_unique)
        SELECT md5(i::text) || md5((i + 1)::text), ${new Date(START).toISOString()}::timestamptz + (i::float8 / ${CLICKS}) * interval '${sql.raw(String(DAYS))} days',
               (${sql.param(offers)}::int[])[1 + (a * 7 + floor(3 * r1)::int) % 20],
               (${sql.param(affiliates)}::int[])[1 + a],
               's' || floor(50 * power(r3, 3))::int, 't' || (i % 20),
               (array['US','DE','GB','FR','BR','IN','ES','IT','CA','AU'])[1 + floor(10 * power(r4, 2))::int],
               (array['mobile','desktop','tablet','other'])[1 + floor(4 * power(r4, 3))::int],
               'android', '203.0.' || (i % 256) || '.' || (i / 256 % 256), 'Mozilla/5.0 (Bench)', 'redirect', '[]'::jsonb, i % 10 <> 0
        FROM (SELECT i, r1, r3, r4, floor(200 * power(r2, 3))::int AS a
              FROM (SELECT i, random() AS r1, random() AS r2, random() AS r3, random() AS r4
                    FROM generate_series(${from}::bigint, ${Math.min(from + chunk, CLICKS) - 1}::bigint) AS i) r) g`);
    }
    const loadMs = performance.now() - t;
    t = performance.now();
    await db.execute(sql`
      INSERT INTO hourly_stats (hour, offer_id, affiliate_id, sub1, country, device, clicks, unique_clicks, invalid_clicks)
      SELECT date_trunc('hour', occurred_at, 'UTC'), offer_id, affiliate_id, sub1, country, device, count(*),
             count(*) FILTER (WHERE is_unique), count(*) FILTER (WHERE NOT is_unique)
      FROM clicks GROUP BY 1, 2, 3, 4, 5, 6`);
    const rollupMs = performance.now() - t;
    await db.execute(sql`VACUUM ANALYZE`);
    const [sizes] = await queryRows<{ fine: number; coarse: number; daily: number }>(
      db,
      sql`SELECT (SELECT count(*) FROM hourly_stats)::int AS fine, (SELECT count(*) FROM hourly_offer_stats)::int AS coarse,
                 (SELECT count(*) FROM daily_offer_stats)::int AS daily`,
    );
    console.log(
      `bench: ${fmt(CLICKS)} clicks over ${DAYS} days in ${DAYS} day partitions, written by SQL in ${(loadMs / 1000).toFixed(0)} s; ` +
        `rollups built in ${(rollupMs / 1000).toFixed(0)} s: hourly_stats ${fmt(sizes?.fine ?? 0)} rows, hourly_offer_stats ${fmt(sizes?.coarse ?? 0)}, daily_offer_stats ${fmt(sizes?.daily ?? 0)}`,
    );

    const admin = benchAdmin();
    const query = {
      from: day(START),
      to: day(START + (DAYS - 1) * DAY_MS),
      timezone: 'UTC',
      granularity: 'day' as const,
      groupBy: ['offer' as const, 'affiliate' as const],
      format: 'json' as const,
    };
    const timeReport = async (q: Parameters<typeof runReport>[2], runs = 7) => {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < runs; i++) {
        const s = performance.now();
        rows = (await runReport(db, admin, q)).length;
        times.push(performance.now() - s);
      }
      return { rows, median: median(times.slice(2)), times: times.slice(2) };
    };
    const coarse = await timeReport(query);
    console.log(
      `report 30 days x offer x affiliate (daily_offer_stats): ${fmt(coarse.rows)} rows, median ${coarse.median.toFixed(1)} ms ` +
        `(${coarse.times.map((x) => x.toFixed(0)).join(', ')} ms after 2 warm-ups; goal < 100 ms)`,
    );
    const bySub = await timeReport({ ...query, groupBy: ['offer', 'sub1'] }, 4);
    console.log(
      `by day x offer x sub1 (hourly_stats): ${fmt(bySub.rows)} rows, median ${bySub.median.toFixed(0)} ms`,
    );
    const berlin = await timeReport({ ...query, timezone: 'Europe/Berlin' }, 4);
    console.log(`same in Europe/Berlin: median ${berlin.median.toFixed(1)} ms`);

    // The retention drops the month while the next day's clicks are ingested and reports run.
    const next = START + DAYS * DAY_MS;
    let n = 0;
    const batch = () =>
      Promise.all(
        Array.from({ length: 100 }, () => {
          n++;
          return clickEvent({
            offerId: offers[n % 20]!,
            affiliateId: affiliates[n % 200]!,
            occurredAt: new Date(next + n).toISOString(),
          });
        }),
      );
    let stop = false;
    const ingestTimes: number[] = [];
    const reportTimes: number[] = [];
    const loops = [
      (async () => {
        while (!stop) {
          const s = performance.now();
          await storeBatch(db, await batch());
          ingestTimes.push(performance.now() - s);
        }
      })(),
      (async () => {
        while (!stop) {
          const s = performance.now();
          await runReport(db, admin, query);
          reportTimes.push(performance.now() - s);
        }
      })(),
    ];
    await new Promise((r) => setTimeout(r, 3_000));
    const before = { ingest: ingestTimes.length, report: reportTimes.length };
    // What the retention's sessions are doing, sampled while it runs: where its time goes.
    const samples = new Map<string, number>();
    let sampled = 0;
    const sampler = (async () => {
      while (!stop) {
        const rows = await queryRows<{ step: string; state: string }>(
          db,
          sql`SELECT CASE WHEN query LIKE 'DROP%' THEN 'drop' ELSE 'detach' END AS step,
                     CASE WHEN wait_event = 'virtualxid' THEN 'waiting for the statements in flight on clicks'
                          WHEN wait_event_type = 'Lock' THEN 'waiting for a lock (' || wait_event || ')'
                          WHEN wait_event_type IN ('IO', 'LWLock') THEN 'I/O and shared memory'
                          WHEN query LIKE 'DROP%' THEN 'running (freeing the files)'
                          ELSE 'running' END AS state
              FROM pg_stat_activity
              WHERE state = 'active' AND (query LIKE 'ALTER TABLE clicks DETACH%' OR query LIKE 'DROP TABLE%')`,
        );
        sampled++;
        for (const r of rows)
          samples.set(`${r.step}: ${r.state}`, (samples.get(`${r.step}: ${r.state}`) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const firstDay = performance.now();
    const first = await dropExpiredClickPartitions(db, { now: new Date(START + DAY_MS), retentionDays: 0 });
    const firstMs = performance.now() - firstDay;
    const rest = performance.now();
    const dropped = await dropExpiredClickPartitions(db, { now: new Date(next), retentionDays: 0 });
    const restMs = performance.now() - rest;
    const during = { ingest: ingestTimes.slice(before.ingest), report: reportTimes.slice(before.report) };
    stop = true;
    await Promise.all([...loops, sampler]);
    console.log(
      `retention drop: ${first.length + dropped.length} partitions (${fmt(CLICKS)} raw clicks) in ${(firstMs + restMs).toFixed(0)} ms ` +
        `(goal < 1,000 ms): the first day (with the migrated partition) ${firstMs.toFixed(0)} ms, the other ${dropped.length} days ${restMs.toFixed(0)} ms`,
    );
    const max = (xs: number[]) => (xs.length ? Math.max(...xs).toFixed(0) : '-');
    console.log(
      `  beside it: ${during.ingest.length} ingest batches of 100 clicks, longest ${max(during.ingest)} ms ` +
        `(median before ${median(ingestTimes.slice(0, before.ingest)).toFixed(0)} ms); ${during.report.length} reports, ` +
        `longest ${max(during.report)} ms (median before ${median(reportTimes.slice(0, before.report)).toFixed(0)} ms)`,
    );
    // A sample stands for the drop's time over the number of samples (the detach and the drop
    // overlap, so their shares can add up to more than the whole).
    const perSample = (firstMs + restMs) / Math.max(1, sampled);
    console.log(
      `  where the drop's time went (sampled every ~${perSample.toFixed(0)} ms): ` +
        [...samples]
          .sort((a, b) => b[1] - a[1])
          .map(([what, n]) => `${what} ~${(n * perSample).toFixed(0)} ms`)
          .join('; '),
    );
  } finally {
    await database.close();
    server.stop();
  }
}

await main();
