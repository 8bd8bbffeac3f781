import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';

/**
 * How many conversions owe money yet have never been posted to the ledger (stored before it
 * existed), counted up to `limit`. The server says so at start, so an upgraded install is not
 * left silently half-posted; `ledger sync` posts them, `ledger reconcile` names them.
 */
export async function countUnpostedConversions(db: Database, limit = 100_000): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`SELECT count(*) AS n FROM (
          SELECT 1 FROM conversions v
          WHERE v.status <> 'rejected' AND (v.payout_minor <> 0 OR v.revenue_minor <> 0)
            AND NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.conversion_id = v.id)
          LIMIT ${limit}) x`,
  );
  return Number(row?.n ?? 0);
}
