import { and, asc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import { campaigns } from '../db/schema/campaigns.ts';
import { offers } from '../db/schema/offers.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import type { Mailer } from '../mail/mailer.ts';
import { noticeBudgetStops } from './budget-notice.ts';

export type BudgetDeps = { db: Database; edge: EdgePublisher; mailer: Mailer };

import { publishOffer } from '../edge-sync/publish-offer.ts';

/**
 * Compares each campaign's approved spend (advertiser revenue in the campaign's currency, as
 * /campaigns/{id}/spend reports it) with its budgets and records when the total budget was
 * reached and on which UTC day the daily budget was. Raising a budget, or reversing conversions,
 * clears the mark again. Returns the offers whose edge view changed.
 */
export async function refreshBudgetState(
  db: Database,
  campaignIds: number[],
  now: Date,
): Promise<{ offerIds: number[]; stops: BudgetStop[] }> {
  if (campaignIds.length === 0) return { offerIds: [], stops: [] };
  const today = now.toISOString().slice(0, 10);
  const rows = await queryRows<{
    id: number;
    offer_id: number | null;
    stopped_total: boolean;
    stopped_today: boolean;
  }>(
    db,
    sql`
    WITH spend AS (
      SELECT c.id,
             coalesce(sum(v.revenue_minor), 0) AS total,
             coalesce(sum(v.revenue_minor) FILTER (WHERE v.occurred_at >= ${today}::date::timestamp AT TIME ZONE 'UTC'), 0) AS today
      FROM campaigns c
      LEFT JOIN conversions v
        ON v.campaign_id = c.id AND v.status = 'approved' AND v.payout_currency = c.currency
      WHERE c.id = ANY(${sql.param(campaignIds)}::int[])
      GROUP BY c.id
    ),
    next AS (
      SELECT c.id, c.budget_spent_at AS was_spent_at, c.daily_budget_spent_on AS was_spent_on,
             CASE WHEN c.budget_minor IS NOT NULL AND s.total >= c.budget_minor
                  THEN coalesce(c.budget_spent_at, ${now.toISOString()}::timestamptz) END AS spent_at,
             CASE WHEN c.daily_budget_minor IS NOT NULL AND s.today >= c.daily_budget_minor THEN ${today}::date
                  WHEN c.daily_budget_spent_on = ${today}::date THEN NULL
                  ELSE c.daily_budget_spent_on END AS spent_on
      FROM campaigns c JOIN spend s ON s.id = c.id
    )
    UPDATE campaigns c SET budget_spent_at = n.spent_at, daily_budget_spent_on = n.spent_on
    FROM next n
    WHERE c.id = n.id
      AND (c.budget_spent_at IS DISTINCT FROM n.spent_at OR c.daily_budget_spent_on IS DISTINCT FROM n.spent_on)
    RETURNING c.id, c.offer_id,
              (n.was_spent_at IS NULL AND n.spent_at IS NOT NULL) AS stopped_total,
              (n.was_spent_on IS DISTINCT FROM ${today}::date AND n.spent_on = ${today}::date) AS stopped_today`,
  );
  return {
    offerIds: [...new Set(rows.map((r) => r.offer_id).filter((id): id is number => id !== null))],
    stops: rows.flatMap((r): BudgetStop[] => [
      ...(r.stopped_total ? [{ campaignId: Number(r.id), kind: 'total' as const }] : []),
      ...(r.stopped_today ? [{ campaignId: Number(r.id), kind: 'daily' as const }] : []),
    ]),
  };
}

/** A campaign whose spend has just reached its total budget, or its daily budget today. */
export type BudgetStop = { campaignId: number; kind: 'total' | 'daily' };

/** Republishes the given offers (their configs carry their campaigns). */
export async function publishOffers(db: Database, edge: EdgePublisher, offerIds: number[]): Promise<void> {
  if (offerIds.length === 0) return;
  const rows = await db.select().from(offers).where(inArray(offers.id, offerIds)).orderBy(asc(offers.id));
  for (const offer of rows) await publishOffer(db, edge, offer);
}

/**
 * Re-evaluates the budgets of campaigns whose spend may have moved and tells the edge about the
 * ones that stopped or resumed, in one transaction: when the edge cannot be reached, nothing is
 * marked, so the next evaluation (the next ingest, or the periodic sweep) tries again.
 */
export async function syncBudgetState(deps: BudgetDeps, campaignIds: number[], now: Date): Promise<number[]> {
  if (campaignIds.length === 0) return [];
  const { offerIds, stops } = await deps.db.transaction(async (tx) => {
    const state = await refreshBudgetState(tx, campaignIds, now);
    await publishOffers(tx, deps.edge, state.offerIds);
    return state;
  });
  await noticeBudgetStops(deps, stops);
  return offerIds;
}

/**
 * syncBudgetState for callers whose own work is already committed (ingest, conversion changes):
 * a failure is logged, not thrown, and the periodic sweep publishes the state later.
 */
export async function syncBudgetStateLogged(
  deps: BudgetDeps,
  campaignIds: number[],
  now: Date,
): Promise<void> {
  await syncBudgetState(deps, campaignIds, now).catch((error: unknown) => {
    console.error(
      JSON.stringify({ msg: 'campaign budget state not synced', campaignIds, error: String(error) }),
    );
  });
}

/**
 * Campaigns whose budget state the sweep re-evaluates: active ones with a budget or a mark to
 * clear (a paused campaign is re-evaluated when it is changed, resumed included).
 */
export async function campaignsWithBudgets(db: Database): Promise<number[]> {
  const rows = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.status, 'active'),
        or(
          isNotNull(campaigns.budgetMinor),
          isNotNull(campaigns.dailyBudgetMinor),
          isNotNull(campaigns.budgetSpentAt),
          isNotNull(campaigns.dailyBudgetSpentOn),
        ),
      ),
    )
    .orderBy(asc(campaigns.id));
  return rows.map((r) => r.id);
}
