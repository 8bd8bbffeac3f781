/**
 * `pnpm --filter @tas/control-plane bench`: loads generated clicks and conversions through the
 * signed ingest endpoint (a real HTTP server, validation, dedupe and rollups included) into the
 * day partitions of `clicks` (decision 032) and, into the same Postgres in the same run, the same
 * rows by raw COPY into plain tables of the same shape; prints rows/s of both and their ratio, the
 * time of a 30-day report by day x offer x affiliate, then drops the month of raw clicks as the
 * retention does while an ingest and a report run beside it, and prints how long each waited.
 * Prints figures only; it asserts nothing.
 *
 * BENCH_CLICKS (1000000), BENCH_CONVERSIONS (20000), BENCH_BATCH (1000 events a request; the
 * edge's Queue consumer sends up to 5000), BENCH_CONCURRENCY (4), BENCH_DATABASE_URL (default: a
 * throwaway PostgreSQL 15 started here).
 */

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { serve } from '@hono/node-server';
import { NO_CONSENT_SIGNALS } from '@tas/shared/consent';
import type { ClickEvent, ConversionEvent } from '@tas/shared/events';
import { signBody } from '@tas/shared/signature';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createAdvertiser } from '../src/advertisers/advertiser-service.ts';
import { createAffiliate } from '../src/affiliates/affiliate-service.ts';
import { newApp } from '../src/app.ts';
import { connectPostgres, type Database, queryRows } from '../src/db/database.ts';
import { storeBatch } from '../src/ingest/store-batch.ts';
import type { Mailer } from '../src/mail/mailer.ts';
import { createOffer } from '../src/offers/offer-service.ts';
import { dropExpiredClickPartitions, ensureClickPartitions } from '../src/partitions/click-partitions.ts';
import { runReport } from '../src/reports/report-query.ts';
import { startEphemeralPostgres } from '../test/ephemeral-postgres.ts';
import { benchAdmin, noEdge } from './bench-fixtures.ts';

const CLICKS = Number(process.env.BENCH_CLICKS ?? 1_000_000);
const CONVERSIONS = Number(process.env.BENCH_CONVERSIONS ?? 20_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const OFFERS = 20;
const AFFILIATES = 200;
const DAYS = 30;
const SECRET = 'bench-ingest-secret-0123456789abcdefghij';
// The clicks' days: the day partitions after the migrated table's (which ends tomorrow, UTC).
const DAY_MS = 86_400_000;
const START = (Math.floor(Date.now() / DAY_MS) + 1) * DAY_MS;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const noMail: Mailer = { send: async () => {} };

// Skewed picks: a few offers, affiliates and subs carry most traffic, as in real networks.
const skew = (i: number, salt: number, n: number) => {
  const x = ((Math.imul(i + 1, 2654435761) ^ Math.imul(salt, 40503)) >>> 0) / 2 ** 32;
  return Math.floor(n * x * x * x);
};
const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'BR', 'IN', 'ES', 'IT', 'CA', 'AU'];
const DEVICES = ['mobile', 'desktop', 'tablet', 'other'] as const;

function bytes(i: number, salt: string): Buffer {
  return createHash('sha256').update(`${salt}:${i}`).digest();
}

/** The i-th generated click: the same in the ingest and the COPY runs. */
function click(i: number, ids: { offers: number[]; affiliates: number[] }): ClickEvent {
  const h = bytes(i, 'click');
  const occurredAt = new Date(START + Math.floor((i / CLICKS) * DAYS * 86_400_000)).toISOString();
  return {
    type: 'click',
    id: Buffer.concat([h, h.subarray(0, 1)]).toString('base64url'),
    occurredAt,
    offerId: ids.offers[skew(i, 1, OFFERS)]!,
    affiliateId: ids.affiliates[skew(i, 2, AFFILIATES)]!,
    sub1: `s${skew(i, 3, 50)}`,
    sub2: `t${skew(i, 4, 20)}`,
    sub3: null,
    sub4: null,
    sub5: null,
    sourceId: null,
    creativeId: null,
    landingPageId: null,
    ip: `203.0.${h[0]}.${h[1]}`,
    userAgent: 'Mozilla/5.0 (Linux; Android 14) Bench',
    country: COUNTRIES[skew(i, 5, COUNTRIES.length)]!,
    device: DEVICES[skew(i, 6, DEVICES.length)]!,
    os: 'android',
    referrer: null,
    gclid: null,
    fbclid: null,
    msclkid: null,
    ttclid: null,
    gbraid: null,
    wbraid: null,
    ...NO_CONSENT_SIGNALS,
    outcome: 'redirect',
    reason: null,
    fraudFlags: [],
    unique: h[2]! > 20,
    source: 'redirect',
    capCounterUnavailable: false,
    fraudCounterUnavailable: false,
  };
}

const EVERY = Math.max(1, Math.floor(CLICKS / CONVERSIONS));

function conversion(k: number, c: ClickEvent): ConversionEvent {
  const h = bytes(k, 'conversion');
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return {
    type: 'conversion',
    id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`,
    occurredAt: new Date(Date.parse(c.occurredAt) + 600_000).toISOString(),
    clickId: c.id,
    clickedAt: c.occurredAt,
    offerId: c.offerId,
    affiliateId: c.affiliateId,
    event: 'conversion',
    amountMinor: 4990,
    currency: 'USD',
    sentAmountMinor: null,
    sentCurrency: null,
    exchangeRate: null,
    supersedes: [],
    holds: [],
    txid: `B-${k}`,
    advertiserStatus: null,
    source: 'postback',
    fraudFlags: [],
    reason: null,
    ip: null,
    userAgent: null,
    customerHashes: null,
    ...NO_CONSENT_SIGNALS,
  };
}

/** Events in the order the edge would send them: each converting click's conversion right after it. */
function* events(ids: { offers: number[]; affiliates: number[] }) {
  let k = 0;
  for (let i = 0; i < CLICKS; i++) {
    const c = click(i, ids);
    yield c;
    if (i % EVERY === 0 && k < CONVERSIONS) yield conversion(k++, c);
  }
}

const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
const fmt = (n: number) => n.toLocaleString('en-US');

async function main() {
  const server = process.env.BENCH_DATABASE_URL ? null : await startEphemeralPostgres();
  const url = process.env.BENCH_DATABASE_URL ?? server!.url();
  const database = connectPostgres(url, { driver: 'pg' });
  try {
    await database.migrate();
    const db = database.db;
    // A day partition for each of the bench's days, and one more for the ingest beside the drop.
    await ensureClickPartitions(db, { now: new Date(START), aheadDays: DAYS + 1 });
    const advertiser = await createAdvertiser(db, { companyName: 'Bench' });
    const offers: number[] = [];
    for (let i = 0; i < OFFERS; i++) {
      const offer = await createOffer(
        { db, edge: noEdge, now: () => new Date(START - 86_400_000) },
        {
          advertiserId: advertiser.id,
          name: `O${i}`,
          payoutType: 'cpa',
          payoutMinor: 1000 + i,
          revenueMinor: 1500 + i,
          status: 'active',
          destinationUrl: 'https://adv.example/',
        },
      );
      offers.push(offer.id);
    }
    const affiliates: number[] = [];
    for (let i = 0; i < AFFILIATES; i++)
      affiliates.push((await createAffiliate({ db, edge: noEdge }, { companyName: `A${i}` })).id);
    const ids = { offers, affiliates };

    const app = newApp({
      db,
      edge: noEdge,
      ingestSigningSecret: SECRET,
      jwtSecret: 'bench-jwt-secret-0123456789abcdefghijkl',
      paymentDetailsKey: Buffer.alloc(32).toString('base64'),
      mailer: noMail,
      publicAppUrl: 'http://127.0.0.1',
      edgePublicUrl: 'http://127.0.0.1',
      outboundPolicy: { allowPrivateNetworks: false },
    });
    const http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => http.once('listening', r));
    const address = http.address();
    const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/internal/ingest`;

    console.log(
      `bench: ${fmt(CLICKS)} clicks + ${fmt(CONVERSIONS)} conversions, ${OFFERS} offers, ${AFFILIATES} affiliates, ${DAYS} days`,
    );
    console.log(`ingest: batches of ${BATCH} events, ${CONCURRENCY} requests in flight, signed, over HTTP`);

    // --- through the ingest endpoint
    const source = events(ids);
    let inserted = 0;
    const started = performance.now();
    async function sender() {
      for (;;) {
        const batch = [];
        for (let n = 0; n < BATCH; n++) {
          const next = source.next();
          if (next.done) break;
          batch.push(next.value);
        }
        if (!batch.length) return;
        const body = JSON.stringify({ events: batch });
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-tas-signature': await signBody(SECRET, '/internal/ingest', body),
          },
          body,
        });
        if (!response.ok) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
        const result = (await response.json()) as { clicksInserted: number; conversionsInserted: number };
        inserted += result.clicksInserted + result.conversionsInserted;
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    const ingestMs = performance.now() - started;
    http.close();

    // --- raw COPY of the same rows into tables of the same shape and indexes
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE bench_clicks (LIKE clicks INCLUDING ALL)');
    await client.query('CREATE TABLE bench_conversions (LIKE conversions INCLUDING ALL)');
    const csv = (values: unknown[]) =>
      `${values.map((v) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`)).join(',')}\n`;
    const copyStarted = performance.now();
    let copied = 0;
    const clickRows = function* () {
      for (const e of events(ids)) {
        if (e.type !== 'click') continue;
        copied++;
        yield csv([
          e.id,
          e.occurredAt,
          e.offerId,
          e.affiliateId,
          e.sub1,
          e.sub2,
          e.sub3,
          e.sub4,
          e.sub5,
          e.sourceId,
          e.creativeId,
          e.landingPageId,
          e.ip,
          e.userAgent,
          e.country,
          e.device,
          e.os,
          e.referrer,
          e.gclid,
          e.fbclid,
          e.msclkid,
          e.ttclid,
          e.outcome,
          e.reason,
          JSON.stringify(e.fraudFlags),
          e.unique,
          e.source,
        ]);
      }
    };
    await pipeline(
      Readable.from(clickRows()),
      client.query(
        copyFrom(
          'COPY bench_clicks (id, occurred_at, offer_id, affiliate_id, sub1, sub2, sub3, sub4, sub5, source_id, creative_id, landing_page_id, ip, user_agent, country, device, os, referrer, gclid, fbclid, msclkid, ttclid, outcome, reason, fraud_flags, is_unique, source) FROM STDIN WITH (FORMAT csv)',
        ),
      ),
    );
    const conversionRows = function* () {
      for (const e of events(ids)) {
        if (e.type !== 'conversion') continue;
        copied++;
        yield csv([
          e.id,
          e.clickId,
          e.clickedAt,
          e.occurredAt,
          e.offerId,
          e.affiliateId,
          e.event,
          e.amountMinor,
          e.currency,
          e.txid,
          'approved',
          1000,
          1500,
          'USD',
          e.source,
          '[]',
        ]);
      }
    };
    await pipeline(
      Readable.from(conversionRows()),
      client.query(
        copyFrom(
          'COPY bench_conversions (id, click_id, clicked_at, occurred_at, offer_id, affiliate_id, event, amount_minor, currency, txid, status, payout_minor, revenue_minor, payout_currency, source, fraud_flags) FROM STDIN WITH (FORMAT csv)',
        ),
      ),
    );
    const copyMs = performance.now() - copyStarted;

    const total = CLICKS + CONVERSIONS;
    const ingestRate = rate(total, ingestMs);
    const copyRate = rate(copied, copyMs);
    console.log(
      `ingest endpoint: ${fmt(inserted)} rows in ${(ingestMs / 1000).toFixed(1)} s = ${fmt(ingestRate)} rows/s`,
    );
    console.log(
      `raw COPY:        ${fmt(copied)} rows in ${(copyMs / 1000).toFixed(1)} s = ${fmt(copyRate)} rows/s`,
    );
    console.log(`ratio ingest/COPY: ${((ingestRate / copyRate) * 100).toFixed(0)}% (goal >= 50%)`);

    // --- the 30-day report
    await client.query('VACUUM ANALYZE');
    await client.end();
    const admin = benchAdmin();
    const query = {
      from: dayOf(START),
      to: dayOf(START + (DAYS - 1) * DAY_MS),
      timezone: 'UTC',
      granularity: 'day' as const,
      groupBy: ['offer' as const, 'affiliate' as const],
      format: 'json' as const,
    };
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      rows = (await runReport(db, admin, query)).length;
      times.push(performance.now() - t);
    }
    const sorted = times.slice(2).sort((a, b) => a - b);
    console.log(
      `report 30 days x offer x affiliate (rollups): ${rows} rows, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms ` +
        `(runs after 2 warm-ups: ${sorted.map((t) => t.toFixed(0)).join(', ')} ms; goal < 100 ms)`,
    );
    const rawStart = performance.now();
    await runReport(db, admin, { ...query, groupBy: ['offer', 'affiliate', 'sub2'] });
    console.log(`same with sub2 (raw events, no rollup): ${(performance.now() - rawStart).toFixed(0)} ms`);

    await dropTheMonth(db, admin, query, ids);
  } finally {
    await database.close();
    server?.stop();
  }
}

/**
 * The retention dropping the bench's month of raw clicks (its day partitions) while an ingest of
 * the next day's clicks and a report run beside it: how long the drop took, and the longest any
 * ingest batch or report took meanwhile (against their times before it).
 */
async function dropTheMonth(
  db: Database,
  admin: ReturnType<typeof benchAdmin>,
  query: Parameters<typeof runReport>[2],
  ids: { offers: number[]; affiliates: number[] },
) {
  const next = START + DAYS * DAY_MS;
  let n = 0;
  const batchOfNextDay = () =>
    Array.from({ length: 100 }, () => {
      const h = bytes(n++, 'drop');
      return {
        ...click(n, ids),
        id: Buffer.concat([h, h.subarray(0, 1)]).toString('base64url'),
        occurredAt: new Date(next + n).toISOString(),
      };
    });
  let stop = false;
  const ingestTimes: number[] = [];
  const reportTimes: number[] = [];
  const ingestLoop = (async () => {
    while (!stop) {
      const t = performance.now();
      await storeBatch(db, batchOfNextDay());
      ingestTimes.push(performance.now() - t);
    }
  })();
  const reportLoop = (async () => {
    while (!stop) {
      const t = performance.now();
      await runReport(db, admin, query);
      reportTimes.push(performance.now() - t);
    }
  })();
  await new Promise((r) => setTimeout(r, 2_000));
  const before = { ingest: ingestTimes.length, report: reportTimes.length };
  const rows = await queryRows<{ n: string }>(
    db,
    sql`SELECT count(*) AS n FROM clicks WHERE occurred_at < ${new Date(next).toISOString()}::timestamptz`,
  );
  // The hourly maintenance drops a day at a time: the first day alone, then the rest of the month.
  const t1 = performance.now();
  const first = await dropExpiredClickPartitions(db, { now: new Date(START + DAY_MS), retentionDays: 0 });
  const oneDayMs = performance.now() - t1;
  const t = performance.now();
  const dropped = [
    ...first,
    ...(await dropExpiredClickPartitions(db, { now: new Date(next), retentionDays: 0 })),
  ];
  const dropMs = performance.now() - t + oneDayMs;
  const during = { ingest: ingestTimes.slice(before.ingest), report: reportTimes.slice(before.report) };
  stop = true;
  await Promise.all([ingestLoop, reportLoop]);
  const max = (xs: number[]) => (xs.length ? Math.max(...xs).toFixed(0) : '-');
  const median = (xs: number[]) =>
    xs.length
      ? xs
          .slice()
          .sort((a, b) => a - b)
          [Math.floor(xs.length / 2)]!.toFixed(0)
      : '-';
  console.log(
    `retention drop: ${dropped.length} partitions (${fmt(Number(rows[0]?.n ?? 0))} raw clicks) in ${dropMs.toFixed(0)} ms (goal < 1,000 ms); ` +
      `the first day alone (${first.join(', ')}) ${oneDayMs.toFixed(0)} ms`,
  );
  console.log(
    `  beside it: ${during.ingest.length} ingest batches of 100, longest ${max(during.ingest)} ms (median before ${median(ingestTimes.slice(0, before.ingest))} ms); ` +
      `${during.report.length} reports, longest ${max(during.report)} ms (median before ${median(reportTimes.slice(0, before.report))} ms)`,
  );
}

await main();
