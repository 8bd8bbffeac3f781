import { INVALID_CLICK_FLAGS } from '@tas/shared/fraud-rules';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import type { ArmKind } from './rotation-arms.ts';

/** An arm's traffic in a window: clean clicks, those that converted, and their money. */
export type ArmEvidence = {
  clicks: number;
  conversions: number;
  /** Affiliate payout (cpc clicks and conversions), minor units of the offer's currency. */
  payoutMinor: number;
  /** What the advertiser pays for the same, minor units of the offer's currency. */
  revenueMinor: number;
};

export const NO_EVIDENCE: ArmEvidence = { clicks: 0, conversions: 0, payoutMinor: 0, revenueMinor: 0 };

const ARM_COLUMN = { landing_page: 'landing_page_id', creative: 'creative_id' } as const;

/**
 * Per arm, the clicks of `[from, to)` that count as evidence and how many converted. A click
 * counts when it is clean (unique, none of the invalid flags: the same rule as reports) and was
 * sent to the offer (a fallback click never saw the page). A click converted when it has a
 * conversion of any event that is not rejected, so CR is per click and at most 1, whatever
 * number of events an advertiser posts for one visitor. Both arm ids come from the click: the
 * landing page the edge picked, the creative on the link.
 */
export async function armEvidence(
  db: Database,
  offerId: number,
  kind: ArmKind,
  window: { from: Date; to: Date },
): Promise<Map<number, ArmEvidence>> {
  const column = sql.raw(`c.${ARM_COLUMN[kind]}`);
  const from = window.from.toISOString();
  const to = window.to.toISOString();
  const rows = await queryRows<{
    arm_id: number;
    clicks: number | string;
    conversions: number | string;
    payout_minor: number | string;
    revenue_minor: number | string;
  }>(
    db,
    sql`
      WITH converted AS (
        -- A conversion comes after its click: bounding occurred_at too lets the (offer, occurred_at)
        -- index find them.
        SELECT v.click_id, sum(v.payout_minor) AS payout_minor, sum(v.revenue_minor) AS revenue_minor
        FROM conversions v
        WHERE v.offer_id = ${offerId} AND v.status <> 'rejected'
          AND v.occurred_at >= ${from}::timestamptz
          AND v.clicked_at >= ${from}::timestamptz AND v.clicked_at < ${to}::timestamptz
        GROUP BY v.click_id
      )
      SELECT ${column} AS arm_id, count(*)::int AS clicks, count(v.click_id)::int AS conversions,
             sum(c.payout_minor) + coalesce(sum(v.payout_minor), 0) AS payout_minor,
             sum(c.revenue_minor) + coalesce(sum(v.revenue_minor), 0) AS revenue_minor
      FROM clicks c
      LEFT JOIN converted v ON v.click_id = c.id
      WHERE c.offer_id = ${offerId} AND c.occurred_at >= ${from}::timestamptz AND c.occurred_at < ${to}::timestamptz
        AND ${column} IS NOT NULL AND c.outcome = 'redirect' AND c.is_unique
        AND (c.fraud_flags = '[]'::jsonb OR NOT c.fraud_flags ?| ${sql.param([...INVALID_CLICK_FLAGS])}::text[])
      GROUP BY 1`,
  );
  return new Map(
    rows.map((r) => [
      Number(r.arm_id),
      {
        clicks: Number(r.clicks),
        conversions: Number(r.conversions),
        payoutMinor: Number(r.payout_minor),
        revenueMinor: Number(r.revenue_minor),
      },
    ]),
  );
}
