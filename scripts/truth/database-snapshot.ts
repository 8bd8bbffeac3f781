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
  rollup: {
    clicks: { rows: bigint; rolledUp: bigint };
    conversions: { rows: bigint; rolledUp: bigint };
    payout: { rows: bigint; rolledUp: bigint };
    revenue: { rows: bigint; rolledUp: bigint };
  };
};

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
    const [totals] = (
      await client.query<Record<string, string>>(`
        SELECT (SELECT count(*) FROM clicks)::text AS click_rows,
               (SELECT coalesce(sum(clicks), 0) FROM hourly_stats)::text AS clicks_rolled_up,
               (SELECT count(*) FROM conversions WHERE status <> 'rejected')::text AS conversion_rows,
               (SELECT coalesce(sum(conversions), 0) FROM hourly_stats)::text AS conversions_rolled_up,
               ((SELECT coalesce(sum(payout_minor), 0) FROM clicks)
                 + (SELECT coalesce(sum(payout_minor), 0) FROM conversions WHERE status <> 'rejected'))::text AS payout_rows,
               (SELECT coalesce(sum(payout_minor), 0) FROM hourly_stats)::text AS payout_rolled_up,
               ((SELECT coalesce(sum(revenue_minor), 0) FROM clicks)
                 + (SELECT coalesce(sum(revenue_minor), 0) FROM conversions WHERE status <> 'rejected'))::text AS revenue_rows,
               (SELECT coalesce(sum(revenue_minor), 0) FROM hourly_stats)::text AS revenue_rolled_up`)
    ).rows;
    await client.query('COMMIT');
    const pair = (rows: string, rolledUp: string) => ({
      rows: BigInt(totals![rows]!),
      rolledUp: BigInt(totals![rolledUp]!),
    });
    return {
      clickIds,
      conversions,
      statusUpdateIds,
      quarantine,
      rollup: {
        clicks: pair('click_rows', 'clicks_rolled_up'),
        conversions: pair('conversion_rows', 'conversions_rolled_up'),
        payout: pair('payout_rows', 'payout_rolled_up'),
        revenue: pair('revenue_rows', 'revenue_rolled_up'),
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
