import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import { LAG_BUCKET_BOUNDS_SECONDS } from '../db/schema/ingest-minutes.ts';

export type SystemStatus = {
  generatedAt: string;
  windowMinutes: number;
  ingest: {
    clicks: number;
    conversions: number;
    perMinute: { minute: string; clicks: number; conversions: number }[];
    lastReceivedAt: string | null;
  };
  lag: { samples: number; p50Seconds: number | null; p95Seconds: number | null; maxSeconds: number | null };
  postbacks: {
    pending: number;
    dueNow: number;
    failed: number;
    disabled: number;
    oldestDueAt: string | null;
  };
  quarantine: { waiting: number; oldestReceivedAt: string | null };
};

const iso = (epochSeconds: number | null) =>
  epochSeconds === null ? null : new Date(epochSeconds * 1000).toISOString();
// Drivers differ on numeric types (pg: strings for bigint, PGlite: numbers); everything is cast
// to int or float8 in SQL and read through Number here.
const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/**
 * The figures an operator watches, each a cheap query: events stored in the last minutes and how
 * late they were stored (stored minus happened at the edge: the queue's and the ingest's delay),
 * both from the ingest's per-minute histogram (`ingest_minutes`, a few rows a minute however
 * busy), the postback outbox (its (state, next_attempt_at) index) and the ingest quarantine.
 */
export async function systemStatus(
  db: Database,
  { now, windowMinutes }: { now: Date; windowMinutes: number },
): Promise<SystemStatus> {
  // Whole minutes, so the first bucket is as full as the others.
  const nowMinute = Math.floor(now.getTime() / 60_000);
  const firstMinute = nowMinute - windowMinutes + 1;
  const since = new Date(firstMinute * 60_000).toISOString();
  const nowIso = now.toISOString();

  // From the ingest's own per-minute counts (db/schema/ingest-minutes.ts): a few rows a minute,
  // however many events arrived.
  const perMinute = await queryRows<{ minute: number; clicks: number; conversions: number }>(
    db,
    sql`
      SELECT floor(extract(epoch FROM minute) / 60)::int AS minute,
             sum(clicks)::float8 AS clicks, sum(conversions)::float8 AS conversions
        FROM ingest_minutes WHERE minute >= ${since}::timestamptz GROUP BY 1
    `,
  );
  const lagBuckets = await queryRows<{ bucket: number; events: number; max: number }>(
    db,
    sql`
      SELECT lag_bucket::int AS bucket, sum(clicks + conversions)::float8 AS events,
             max(max_lag_seconds)::float8 AS max
        FROM ingest_minutes WHERE minute >= ${since}::timestamptz GROUP BY 1
    `,
  );
  const [last] = await queryRows<{ last: number | null }>(
    db,
    sql`
      SELECT extract(epoch FROM max(last_received_at))::float8 AS last
        FROM ingest_minutes WHERE minute = (SELECT max(minute) FROM ingest_minutes)
    `,
  );
  const [outbox] = await queryRows<{
    pending: number;
    due: number;
    failed: number;
    disabled: number;
    oldest: number | null;
  }>(
    db,
    sql`
      SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending,
             count(*) FILTER (WHERE state = 'pending' AND next_attempt_at <= ${nowIso}::timestamptz)::int AS due,
             count(*) FILTER (WHERE state = 'failed')::int AS failed,
             count(*) FILTER (WHERE state = 'disabled')::int AS disabled,
             extract(epoch FROM min(next_attempt_at) FILTER (WHERE state = 'pending'))::float8 AS oldest
        FROM postback_deliveries WHERE state IN ('pending', 'failed', 'disabled')
    `,
  );
  const [quarantine] = await queryRows<{ waiting: number; oldest: number | null }>(
    db,
    sql`
      SELECT count(*)::int AS waiting, extract(epoch FROM min(received_at))::float8 AS oldest
        FROM ingest_quarantine WHERE replayed_at IS NULL
    `,
  );

  const minutes = new Map<number, { clicks: number; conversions: number }>();
  for (const row of perMinute)
    minutes.set(Number(row.minute), { clicks: Number(row.clicks), conversions: Number(row.conversions) });
  const buckets = [];
  for (let minute = firstMinute; minute <= nowMinute; minute++) {
    buckets.push({
      minute: new Date(minute * 60_000).toISOString(),
      ...(minutes.get(minute) ?? { clicks: 0, conversions: 0 }),
    });
  }
  return {
    generatedAt: nowIso,
    windowMinutes,
    ingest: {
      clicks: buckets.reduce((sum, b) => sum + b.clicks, 0),
      conversions: buckets.reduce((sum, b) => sum + b.conversions, 0),
      perMinute: buckets,
      lastReceivedAt: iso(num(last?.last)),
    },
    lag: lagFigures(
      lagBuckets.map((row) => ({
        bucket: Number(row.bucket),
        events: Number(row.events),
        max: Number(row.max),
      })),
    ),
    postbacks: {
      pending: num(outbox?.pending) ?? 0,
      dueNow: num(outbox?.due) ?? 0,
      failed: num(outbox?.failed) ?? 0,
      disabled: num(outbox?.disabled) ?? 0,
      oldestDueAt: iso(num(outbox?.oldest)),
    },
    quarantine: {
      waiting: num(quarantine?.waiting) ?? 0,
      oldestReceivedAt: iso(num(quarantine?.oldest)),
    },
  };
}

const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

/**
 * The lag's median and 95th percentile from the histogram: the upper bound of the bucket the
 * percentile falls in (so "95% of events within N s"), never above the largest lag seen.
 */
export function lagFigures(
  buckets: readonly { bucket: number; events: number; max: number }[],
): SystemStatus['lag'] {
  const sorted = buckets.filter((b) => b.events > 0).sort((a, b) => a.bucket - b.bucket);
  const samples = sorted.reduce((sum, b) => sum + b.events, 0);
  if (samples === 0) return { samples: 0, p50Seconds: null, p95Seconds: null, maxSeconds: null };
  const max = Math.max(...sorted.map((b) => b.max));
  const percentile = (share: number) => {
    let seen = 0;
    for (const b of sorted) {
      seen += b.events;
      if (seen >= share * samples) return Math.min(LAG_BUCKET_BOUNDS_SECONDS[b.bucket] ?? max, max);
    }
    return max;
  };
  return {
    samples,
    p50Seconds: round(percentile(0.5)),
    p95Seconds: round(percentile(0.95)),
    maxSeconds: round(max),
  };
}
