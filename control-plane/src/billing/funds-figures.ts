import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import type { BillingTerms } from './billing-settings.ts';
import {
  evaluateFunds,
  type FundsPicture,
  type FundsState,
  type StoredAdvertiserSums,
} from './funds-evaluation.ts';

/** One advertiser's account in one currency, summed, beside the state last published for it. */
export type FundsFigures = {
  advertiserId: number;
  currency: string;
  sums: StoredAdvertiserSums;
  /** What advertiser_funds holds; null: no row (available, never noticed). */
  stored: { state: FundsState; noticed: FundsState | null } | null;
};

/**
 * The currencies that matter for each advertiser, each with its ledger account's sums by layer
 * (stored, debit positive) and its stored funds state: those it has an account in, those of its
 * offers live at the edge (a prepaid advertiser with no money in an offer's currency has none to
 * spend there) and those it has a state for (so a stop is lifted when its reason is gone). Sums are
 * read from the entries, as every balance is (decision 021).
 */
export async function readFundsFigures(
  db: Database,
  advertiserIds: readonly number[],
): Promise<FundsFigures[]> {
  if (advertiserIds.length === 0) return [];
  const ids = sql.param([...advertiserIds]);
  const owners = sql.param(advertiserIds.map(String));
  const rows = await queryRows<{
    advertiser_id: number | string;
    currency: string;
    state: FundsState | null;
    noticed: FundsState | null;
    posted: number | string;
    pending: number | string;
  }>(
    db,
    sql`
    WITH cur AS (
      SELECT a.owner_id::int AS advertiser_id, a.currency::text AS currency
      FROM ledger_accounts a
      WHERE a.kind = 'advertiser' AND a.owner_id = ANY(${owners}::text[])
      UNION
      SELECT o.advertiser_id, o.currency
      FROM offers o
      WHERE o.advertiser_id = ANY(${ids}::int[]) AND o.status IN ('active', 'paused')
      UNION
      SELECT f.advertiser_id, f.currency::text
      FROM advertiser_funds f
      WHERE f.advertiser_id = ANY(${ids}::int[])
    )
    SELECT c.advertiser_id, c.currency, f.state, f.noticed,
           coalesce(sum(e.amount_minor) FILTER (WHERE e.layer = 'posted'), 0) AS posted,
           coalesce(sum(e.amount_minor) FILTER (WHERE e.layer = 'pending'), 0) AS pending
    FROM cur c
    LEFT JOIN ledger_accounts a
      ON a.kind = 'advertiser' AND a.owner_id = c.advertiser_id::text AND a.currency = c.currency::char(3)
    LEFT JOIN ledger_entries e ON e.account_id = a.id
    LEFT JOIN advertiser_funds f ON f.advertiser_id = c.advertiser_id AND f.currency = c.currency::char(3)
    GROUP BY c.advertiser_id, c.currency, f.state, f.noticed
    ORDER BY c.advertiser_id, c.currency`,
  );
  return rows.map((r) => ({
    advertiserId: Number(r.advertiser_id),
    currency: r.currency.trim(),
    sums: { posted: Number(r.posted), pending: Number(r.pending) },
    stored: r.state === null ? null : { state: r.state, noticed: r.noticed },
  }));
}

/** An advertiser's funds in one currency as the API shows them. */
export type FundsOverview = FundsPicture & { stoppedAtEdge: boolean };

/**
 * An advertiser's funds per currency, evaluated now from its terms, beside whether the edge has its
 * offers in that currency stopped (the state last published; the two differ only until the next
 * evaluation publishes).
 */
export async function readFundsOverview(db: Database, terms: BillingTerms & { advertiserId: number }) {
  const figures = await readFundsFigures(db, [terms.advertiserId]);
  return figures.map(
    (f): FundsOverview => ({
      ...evaluateFunds(terms, f.currency, f.sums),
      stoppedAtEdge: f.stored?.state === 'exhausted',
    }),
  );
}
