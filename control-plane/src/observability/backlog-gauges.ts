import { sql } from 'drizzle-orm';
import { Gauge } from 'prom-client';
import { type Database, queryRows } from '../db/database.ts';
import { cachedRead } from './cached-read.ts';
import type { Metrics } from './metrics.ts';

/**
 * Counts stop here: a backlog of 100,000 is an incident whatever its exact size, and a capped
 * count costs at most that many index entries, however large the table grew.
 */
export const BACKLOG_COUNT_CAP = 100_000;

type BacklogRow = {
  pb_pending: number;
  pb_due: number;
  pb_failed: number;
  pb_oldest_due: number | null;
  ad_pending: number;
  ad_due: number;
  ad_failed: number;
  ad_rejected: number;
  ad_oldest_due: number | null;
  quarantine_waiting: number;
  last_received: number | null;
};

const capped = (from: ReturnType<typeof sql>) =>
  sql`(SELECT count(*) FROM (SELECT 1 FROM ${from} LIMIT ${sql.raw(String(BACKLOG_COUNT_CAP))}) s)::int`;

/** One statement, each part served by an index: (state, next_attempt_at) of both outboxes. */
async function readBacklogs(db: Database): Promise<BacklogRow | undefined> {
  const [row] = await queryRows<BacklogRow>(
    db,
    sql`SELECT
      ${capped(sql`postback_deliveries WHERE state = 'pending'`)} AS pb_pending,
      ${capped(sql`postback_deliveries WHERE state = 'pending' AND next_attempt_at <= now()`)} AS pb_due,
      ${capped(sql`postback_deliveries WHERE state = 'failed'`)} AS pb_failed,
      (SELECT extract(epoch FROM min(next_attempt_at)) FROM postback_deliveries
        WHERE state = 'pending' AND next_attempt_at <= now())::float8 AS pb_oldest_due,
      ${capped(sql`ad_conversion_deliveries WHERE state = 'pending'`)} AS ad_pending,
      ${capped(sql`ad_conversion_deliveries WHERE state = 'pending' AND next_attempt_at <= now()`)} AS ad_due,
      ${capped(sql`ad_conversion_deliveries WHERE state = 'failed'`)} AS ad_failed,
      ${capped(sql`ad_conversion_deliveries WHERE state = 'rejected'`)} AS ad_rejected,
      (SELECT extract(epoch FROM min(next_attempt_at)) FROM ad_conversion_deliveries
        WHERE state = 'pending' AND next_attempt_at <= now())::float8 AS ad_oldest_due,
      ${capped(sql`ingest_quarantine WHERE replayed_at IS NULL`)} AS quarantine_waiting,
      (SELECT extract(epoch FROM max(last_received_at)) FROM ingest_minutes
        WHERE minute = (SELECT max(minute) FROM ingest_minutes))::float8 AS last_received`,
  );
  return row;
}

/**
 * Gauges read from the database when Prometheus scrapes, never on a request: the affiliate
 * postback outbox and the ad-platform outbox (`ad_conversion_deliveries`) by state, how long the
 * oldest due delivery has waited, the quarantine, and when the ingest last stored an event (the
 * database's figure, shared by every instance). One query a scrape; when it fails the gauges
 * keep their last values and `tas_metrics_collect_errors_total{source="database"}` counts it.
 */
export function registerBacklogGauges(metrics: Metrics, db: Database, { ttlMs = 0 } = {}): void {
  const read = cachedRead(ttlMs, () => readBacklogs(db));
  // Every gauge refreshes all of them from the one shared read: the first of a scrape queries,
  // the others (collected at the same time) wait for its answer.
  const collect = async () => {
    let row: BacklogRow | undefined;
    try {
      row = await read();
    } catch {
      metrics.collectErrors.inc({ source: 'database' });
      return;
    }
    if (row) show(row);
  };
  const registers = [metrics.registry];
  const postbacks = new Gauge({
    name: 'tas_postback_outbox_deliveries',
    help: `Affiliate postback deliveries by state: pending, due (pending and due now), failed (retries ran out); counted up to ${BACKLOG_COUNT_CAP}`,
    labelNames: ['state'] as const,
    registers,
    collect,
  });
  const postbackAge = new Gauge({
    name: 'tas_postback_outbox_oldest_due_seconds',
    help: 'How long the oldest due affiliate postback has waited past its attempt time (0 when none)',
    registers,
    collect,
  });
  const ad = new Gauge({
    name: 'tas_ad_outbox_deliveries',
    help: `Ad-platform conversion deliveries by state: pending, due, failed, rejected; counted up to ${BACKLOG_COUNT_CAP}`,
    labelNames: ['state'] as const,
    registers,
    collect,
  });
  const adAge = new Gauge({
    name: 'tas_ad_outbox_oldest_due_seconds',
    help: 'How long the oldest due ad-platform delivery has waited past its attempt time (0 when none)',
    registers,
    collect,
  });
  const quarantine = new Gauge({
    name: 'tas_ingest_quarantine_waiting',
    help: `Quarantined events not replayed yet; counted up to ${BACKLOG_COUNT_CAP}`,
    registers,
    collect,
  });
  const lastReceived = new Gauge({
    name: 'tas_ingest_last_received_timestamp_seconds',
    help: 'When the ingest last stored an event (any instance; 0 when none in the last week)',
    registers,
    collect,
  });
  function show(row: BacklogRow) {
    const nowSeconds = Date.now() / 1000;
    const age = (oldest: number | null) => (oldest === null ? 0 : Math.max(0, nowSeconds - Number(oldest)));
    postbacks.set({ state: 'pending' }, Number(row.pb_pending));
    postbacks.set({ state: 'due' }, Number(row.pb_due));
    postbacks.set({ state: 'failed' }, Number(row.pb_failed));
    postbackAge.set(age(row.pb_oldest_due));
    ad.set({ state: 'pending' }, Number(row.ad_pending));
    ad.set({ state: 'due' }, Number(row.ad_due));
    ad.set({ state: 'failed' }, Number(row.ad_failed));
    ad.set({ state: 'rejected' }, Number(row.ad_rejected));
    adAge.set(age(row.ad_oldest_due));
    quarantine.set(Number(row.quarantine_waiting));
    lastReceived.set(row.last_received === null ? 0 : Number(row.last_received));
  }
}
