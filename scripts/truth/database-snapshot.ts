import type pg from 'pg';

/** A quarantined event as the ingest keeps it (`ingest_quarantine`), read loosely. */
export type QuarantineRow = {
  eventId: string | null;
  eventType: string | null;
  reasonCode: string | null;
  reason: string | null;
  body: string;
};

export type DatabaseSnapshot = {
  clickIds: Set<string>;
  conversions: { id: string; clickId: string; source: string; status: string }[];
  statusUpdateIds: Set<string>;
  /** Null when the table does not exist (yet): nothing was quarantined. */
  quarantine: QuarantineRow[] | null;
  /** Rows summarised by the rollup's own key, beside hourly_stats: totals, and per key over/under. */
  rollup: {
    clicks: RollupMeasure;
    uniqueClicks: RollupMeasure;
    /** Invalid clicks (decision 018) and their breakdown: bot, blocked (ip or agent), ip velocity. */
    invalidClicks: RollupMeasure;
    botClicks: RollupMeasure;
    blockedClicks: RollupMeasure;
    velocityClicks: RollupMeasure;
    conversions: RollupMeasure;
    /** Conversions by status; `conversions` is approved + pending. */
    approvedConversions: RollupMeasure;
    pendingConversions: RollupMeasure;
    rejectedConversions: RollupMeasure;
    payout: RollupMeasure;
    revenue: RollupMeasure;
    /** Keys (hour, offer, affiliate, sub1, country, device) where any measure differs. */
    keysOff: number;
  };
};

/** A measure summed from the rows and from hourly_stats; over/under: summed per key where they differ. */
export type RollupMeasure = { rows: bigint; rolledUp: bigint; over: bigint; under: bigint };

/**
 * The rows grouped as the ingest rolls them up (UTC hour, offer, affiliate, sub1, country,
 * device; conversions that are not rejected, and each status apart), compared key by key with hourly_stats: a report cut
 * by any of these sees a count twice (over) or not at all (under) even when the totals agree.
 */
const MEASURES = [
  'clicks',
  'unique_clicks',
  'invalid_clicks',
  'bot_clicks',
  'blocked_clicks',
  'velocity_clicks',
  'conversions',
  'approved_conversions',
  'pending_conversions',
  'rejected_conversions',
  'payout',
  'revenue',
];
/**
 * Written out here rather than imported from the product (INVALID_CLICK_FLAGS): the harness says
 * what an invalid click is, so a change to the product's list shows as a difference.
 */
const INVALID_CLICK = `fraud_flags ?| array['bot', 'duplicate_click', 'blocked_ip', 'blocked_user_agent', 'ip_velocity'] OR NOT is_unique`;
const ROLLUP_COMPARISON = `
  WITH source AS (
    SELECT date_trunc('hour', occurred_at, 'UTC') AS hour, offer_id, affiliate_id, coalesce(sub1, '') AS sub1,
           coalesce(country, '') AS country, coalesce(device, '') AS device,
           count(*) AS clicks, count(*) FILTER (WHERE is_unique) AS unique_clicks,
           count(*) FILTER (WHERE ${INVALID_CLICK}) AS invalid_clicks,
           count(*) FILTER (WHERE fraud_flags ? 'bot') AS bot_clicks,
           count(*) FILTER (WHERE fraud_flags ?| array['blocked_ip', 'blocked_user_agent']) AS blocked_clicks,
           count(*) FILTER (WHERE fraud_flags ? 'ip_velocity') AS velocity_clicks,
           0::bigint AS conversions, 0::bigint AS approved_conversions, 0::bigint AS pending_conversions,
           0::bigint AS rejected_conversions, sum(payout_minor) AS payout, sum(revenue_minor) AS revenue
    FROM clicks GROUP BY 1, 2, 3, 4, 5, 6
    UNION ALL
    SELECT date_trunc('hour', occurred_at, 'UTC'), offer_id, affiliate_id, coalesce(sub1, ''),
           coalesce(country, ''), coalesce(device, ''), 0, 0, 0, 0, 0, 0,
           count(*) FILTER (WHERE status <> 'rejected'), count(*) FILTER (WHERE status = 'approved'),
           count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'rejected'),
           coalesce(sum(payout_minor) FILTER (WHERE status <> 'rejected'), 0),
           coalesce(sum(revenue_minor) FILTER (WHERE status <> 'rejected'), 0)
    FROM conversions GROUP BY 1, 2, 3, 4, 5, 6
  ), expected AS (
    SELECT hour, offer_id, affiliate_id, sub1, country, device,
           ${MEASURES.map((m) => `sum(${m}) AS ${m}`).join(', ')}
    FROM source GROUP BY 1, 2, 3, 4, 5, 6
  ), compared AS (
    SELECT ${MEASURES.map((m) => `coalesce(e.${m}, 0) AS e_${m}, coalesce(h.${m === 'payout' || m === 'revenue' ? `${m}_minor` : m}, 0) AS h_${m}`).join(', ')}
    FROM expected e FULL JOIN hourly_stats h USING (hour, offer_id, affiliate_id, sub1, country, device)
  )
  SELECT ${MEASURES.map(
    (m) => `sum(e_${m})::text AS ${m}_rows, sum(h_${m})::text AS ${m}_rolled_up,
            sum(greatest(h_${m} - e_${m}, 0))::text AS ${m}_over, sum(greatest(e_${m} - h_${m}, 0))::text AS ${m}_under`,
  ).join(', ')},
         count(*) FILTER (WHERE ${MEASURES.map((m) => `e_${m} <> h_${m}`).join(' OR ')})::text AS keys_off
  FROM compared`;

/**
 * Everything the reconciler compares, read in one repeatable-read transaction so the rows and the
 * rollups are the same instant. Rollups count conversions that are not rejected (as the ingest
 * and conversion changes keep them), money included, clicks' cpc money too.
 */
export async function readSnapshot(pool: pg.Pool): Promise<DatabaseSnapshot> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const clickIds = new Set(
      (await client.query<{ id: string }>('SELECT id FROM clicks')).rows.map((r) => r.id),
    );
    const conversions = (
      await client.query<{ id: string; click_id: string; source: string; status: string }>(
        'SELECT id::text AS id, click_id, source, status::text AS status FROM conversions',
      )
    ).rows.map((r) => ({ id: r.id, clickId: r.click_id, source: r.source, status: r.status }));
    const statusUpdateIds = new Set(
      (await client.query<{ id: string }>('SELECT id::text AS id FROM conversion_status_updates')).rows.map(
        (r) => r.id,
      ),
    );
    const present = (
      await client.query<{ present: boolean }>(
        "SELECT to_regclass('ingest_quarantine') IS NOT NULL AS present",
      )
    ).rows[0]!.present;
    const quarantine = present
      ? (
          await client.query<{ row: Record<string, unknown> }>(
            'SELECT row_to_json(q) AS row FROM ingest_quarantine q',
          )
        ).rows.map(({ row }) => quarantineRow(row))
      : null;
    const [totals] = (await client.query<Record<string, string>>(ROLLUP_COMPARISON)).rows;
    await client.query('COMMIT');
    const n = (column: string) => BigInt(totals![column] ?? '0');
    const measure = (name: string) => ({
      rows: n(`${name}_rows`),
      rolledUp: n(`${name}_rolled_up`),
      over: n(`${name}_over`),
      under: n(`${name}_under`),
    });
    return {
      clickIds,
      conversions,
      statusUpdateIds,
      quarantine,
      rollup: {
        clicks: measure('clicks'),
        uniqueClicks: measure('unique_clicks'),
        invalidClicks: measure('invalid_clicks'),
        botClicks: measure('bot_clicks'),
        blockedClicks: measure('blocked_clicks'),
        velocityClicks: measure('velocity_clicks'),
        conversions: measure('conversions'),
        approvedConversions: measure('approved_conversions'),
        pendingConversions: measure('pending_conversions'),
        rejectedConversions: measure('rejected_conversions'),
        payout: measure('payout'),
        revenue: measure('revenue'),
        keysOff: Number(n('keys_off')),
      },
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Quick totals for polling while the queue drains (no row lists): changes when anything lands. */
export async function readCounts(pool: pg.Pool): Promise<string> {
  const present = (
    await pool.query<{ present: boolean }>("SELECT to_regclass('ingest_quarantine') IS NOT NULL AS present")
  ).rows[0]!.present;
  const { rows } = await pool.query<{ counts: string }>(`
    SELECT concat_ws('/', (SELECT count(*) FROM clicks), (SELECT count(*) FROM conversions),
                     (SELECT count(*) FROM conversion_status_updates),
                     (SELECT coalesce(sum(clicks), 0) FROM hourly_stats),
                     ${present ? '(SELECT count(*) FROM ingest_quarantine)' : '0'}) AS counts`);
  return rows[0]!.counts;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' ? value : value === null || value === undefined ? null : JSON.stringify(value);

function quarantineRow(row: Record<string, unknown>): QuarantineRow {
  return {
    eventId: text(row.event_id),
    eventType: text(row.event_type),
    reasonCode: text(row.reason_code),
    reason: text(row.reason),
    body: text(row.body) ?? '',
  };
}
