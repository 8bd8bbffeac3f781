import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';

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
 * The figures an operator watches, each a cheap query: events received in the last minutes
 * (clicks and conversions carry a BRIN index on received_at, and rows arrive in that order),
 * how late they arrive (received_at − occurred_at, both stamped by the edge, so the lag is the
 * queue's and the ingest's), the postback outbox (its (state, next_attempt_at) index) and the
 * ingest quarantine.
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

  const perMinute = await queryRows<{ source: string; minute: number; events: number; last: number }>(
    db,
    sql`
      SELECT 'clicks' AS source, floor(extract(epoch FROM received_at) / 60)::int AS minute,
             count(*)::int AS events, extract(epoch FROM max(received_at))::float8 AS last
        FROM clicks WHERE received_at >= ${since}::timestamptz GROUP BY 2
      UNION ALL
      SELECT 'conversions', floor(extract(epoch FROM received_at) / 60)::int,
             count(*)::int, extract(epoch FROM max(received_at))::float8
        FROM conversions WHERE received_at >= ${since}::timestamptz GROUP BY 2
    `,
  );
  const [lag] = await queryRows<{
    samples: number;
    p50: number | null;
    p95: number | null;
    max: number | null;
  }>(
    db,
    sql`
      SELECT count(*)::int AS samples,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY lag)::float8 AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY lag)::float8 AS p95,
             max(lag)::float8 AS max
        FROM (
          SELECT extract(epoch FROM received_at - occurred_at) AS lag
            FROM clicks WHERE received_at >= ${since}::timestamptz
          UNION ALL
          SELECT extract(epoch FROM received_at - occurred_at)
            FROM conversions WHERE received_at >= ${since}::timestamptz
        ) AS events
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
  let lastReceived: number | null = null;
  for (const row of perMinute) {
    const minute = Number(row.minute);
    const bucket = minutes.get(minute) ?? { clicks: 0, conversions: 0 };
    bucket[row.source === 'clicks' ? 'clicks' : 'conversions'] += Number(row.events);
    minutes.set(minute, bucket);
    lastReceived = Math.max(lastReceived ?? 0, Number(row.last));
  }
  const buckets = [];
  for (let minute = firstMinute; minute <= nowMinute; minute++) {
    buckets.push({
      minute: new Date(minute * 60_000).toISOString(),
      ...(minutes.get(minute) ?? { clicks: 0, conversions: 0 }),
    });
  }
  const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);
  return {
    generatedAt: nowIso,
    windowMinutes,
    ingest: {
      clicks: buckets.reduce((sum, b) => sum + b.clicks, 0),
      conversions: buckets.reduce((sum, b) => sum + b.conversions, 0),
      perMinute: buckets,
      lastReceivedAt: iso(lastReceived),
    },
    lag: {
      samples: num(lag?.samples) ?? 0,
      p50Seconds: round(num(lag?.p50)),
      p95Seconds: round(num(lag?.p95)),
      maxSeconds: round(num(lag?.max)),
    },
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
