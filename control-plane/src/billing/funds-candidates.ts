import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';

/**
 * Terms under which money can run out: prepaid, or postpaid with a credit limit in some currency.
 * Every other advertiser (postpaid without a limit, or no terms saved: the default) never stops.
 */
const CAN_RUN_OUT = sql`(b.mode = 'prepaid' OR b.credit_limit_by_currency <> '{}'::jsonb)`;

/**
 * The advertisers of these offers whose money can run out: the ones an ingest batch with
 * conversions of these offers must re-evaluate. One indexed look-up; for a network without
 * billing terms it finds nothing and nothing more is done.
 */
export async function fundedAdvertisersOfOffers(
  db: Database,
  offerIds: readonly number[],
): Promise<number[]> {
  if (offerIds.length === 0) return [];
  const rows = await queryRows<{ advertiser_id: number | string }>(
    db,
    sql`
    SELECT DISTINCT o.advertiser_id
    FROM offers o
    JOIN advertiser_billing_settings b ON b.advertiser_id = o.advertiser_id
    WHERE o.id = ANY(${sql.param([...new Set(offerIds)])}::int[]) AND ${CAN_RUN_OUT}
    ORDER BY 1`,
  );
  return rows.map((r) => Number(r.advertiser_id));
}

/**
 * What the periodic sweep re-evaluates: every advertiser whose money can run out, and every one
 * with a state other than available (its terms may have changed to unlimited since, and the
 * change's own evaluation may have failed).
 */
export async function advertisersToSweep(db: Database): Promise<number[]> {
  const rows = await queryRows<{ advertiser_id: number | string }>(
    db,
    sql`
    SELECT b.advertiser_id FROM advertiser_billing_settings b WHERE ${CAN_RUN_OUT}
    UNION
    SELECT f.advertiser_id FROM advertiser_funds f WHERE f.state <> 'available' OR f.noticed IS NOT NULL
    ORDER BY 1`,
  );
  return rows.map((r) => Number(r.advertiser_id));
}
