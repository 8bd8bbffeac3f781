import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Database, queryRows } from '../db/database.ts';
import { payoutMethod } from '../db/schema/payouts.ts';
import { minimumFor, type NetworkPayoutSettings, type PayoutSchedule } from './payout-settings.ts';

export const payoutMethodSchema = z.enum(payoutMethod.enumValues);
export type PayoutMethod = z.infer<typeof payoutMethodSchema>;

export const skipReasonSchema = z.enum([
  'below_minimum',
  'no_method',
  'account_not_ready',
  'negative_balance_carried',
  'affiliate_not_active',
]);
export type SkipReason = z.infer<typeof skipReasonSchema>;

/** An affiliate's payable in one currency, with what it needs to be paid, as SQL read it. */
export type PayableRow = {
  accountId: number;
  affiliateId: number;
  currency: string;
  /** The posted payable balance, credit-positive (what the network owes). */
  balanceMinor: number;
  /** What conversions approved within the hold period added to it (not paid yet). */
  heldMinor: number;
  holdDays: number;
  affiliateActive: boolean;
  method: PayoutMethod | null;
  stripeAccountId: string | null;
  stripePayoutsEnabled: boolean;
  hasPaypalReceiver: boolean;
  minimumMinor: number | null;
};

export type PayoutDecision = {
  affiliateId: number;
  currency: string;
  balanceMinor: number;
  heldMinor: number;
  /** What would be paid: the balance less what is held, never below zero. */
  dueMinor: number;
  minimumMinor: number;
  method: PayoutMethod | null;
  /** Ledger credits made up to this time are what the payout covers (cutoff less the hold). */
  coversUntil: Date;
} & ({ pay: true; amountMinor: number } | { pay: false; reason: SkipReason });

const DAY_MS = 86_400_000;

/** Whether a payable is paid now, and how much, or why not (decision 023). Pure. */
export function decidePayout(row: PayableRow, network: NetworkPayoutSettings, cutoff: Date): PayoutDecision {
  const dueMinor = Math.max(0, row.balanceMinor - row.heldMinor);
  const minimumMinor = minimumFor(network, row.currency, row.minimumMinor);
  const base = {
    affiliateId: row.affiliateId,
    currency: row.currency,
    balanceMinor: row.balanceMinor,
    heldMinor: row.heldMinor,
    dueMinor,
    minimumMinor,
    method: row.method,
    coversUntil: new Date(cutoff.getTime() - row.holdDays * DAY_MS),
  };
  const skip = (reason: SkipReason): PayoutDecision => ({ ...base, pay: false, reason });
  // A clawback (a reversal after payment) leaves the payable negative: the next credits pay it off.
  if (row.balanceMinor < 0) return skip('negative_balance_carried');
  if (!row.affiliateActive) return skip('affiliate_not_active');
  if (row.method === null) return skip('no_method');
  if (!methodReady(row)) return skip('account_not_ready');
  if (dueMinor === 0 || dueMinor < minimumMinor) return skip('below_minimum');
  return { ...base, pay: true, amountMinor: dueMinor };
}

function methodReady(row: PayableRow): boolean {
  if (row.method === 'stripe_connect') return row.stripeAccountId !== null && row.stripePayoutsEnabled;
  if (row.method === 'paypal') return row.hasPaypalReceiver;
  return true;
}

export type PayableFilter = {
  /** Balances as of this time; credits within the hold before it are held. */
  cutoff: Date;
  network: NetworkPayoutSettings;
  /** Only affiliates whose schedule (their own, else the network's) is this one. */
  schedule?: PayoutSchedule | null;
  /** Only these affiliates. */
  affiliateIds?: readonly number[];
};

/**
 * Every affiliate payable with a non-zero posted balance, in one set-based statement: the balance
 * and the credits conversions posted within the affiliate's hold period, summed from the
 * entries, with the affiliate's payout settings. In affiliate and currency order.
 */
export async function readPayables(db: Database, filter: PayableFilter): Promise<PayableRow[]> {
  const { network } = filter;
  const only: SQL = filter.affiliateIds
    ? sql`AND a.owner_id = ANY(${sql.param(filter.affiliateIds.map(String))}::text[])`
    : sql``;
  const scheduled: SQL = filter.schedule
    ? sql`AND coalesce(s.schedule::text, ${network.schedule}) = ${filter.schedule}`
    : sql``;
  const rows = await queryRows<{
    account_id: number | string;
    affiliate_id: number;
    currency: string;
    hold_days: number;
    balance: number | string;
    held: number | string;
    active: boolean;
    method: PayoutMethod | null;
    stripe_account_id: string | null;
    stripe_payouts_enabled: boolean | null;
    has_paypal_receiver: boolean;
    minimum_minor: number | string | null;
  }>(
    db,
    sql`
    WITH acc AS (
      SELECT a.id AS account_id, a.owner_id, a.currency,
             coalesce(s.hold_days, ${network.holdDays}::int) AS hold_days
      FROM ledger_accounts a
      LEFT JOIN affiliate_payout_settings s ON s.affiliate_id::text = a.owner_id
      WHERE a.kind = 'affiliate_payable' ${only} ${scheduled}
    ),
    bal AS (
      SELECT acc.account_id,
             -sum(e.amount_minor) AS balance,
             sum(CASE WHEN e.amount_minor < 0 AND t.conversion_id IS NOT NULL
                       AND t.created_at > ${filter.cutoff.toISOString()}::timestamptz - make_interval(days => acc.hold_days)
                      THEN -e.amount_minor ELSE 0 END) AS held
      FROM acc
      JOIN ledger_entries e ON e.account_id = acc.account_id AND e.layer = 'posted'
      JOIN ledger_transfers t ON t.id = e.transfer_id
      GROUP BY acc.account_id
    )
    SELECT acc.account_id, f.id AS affiliate_id, acc.currency, acc.hold_days, bal.balance, bal.held,
           f.status = 'active' AS active, s.method, s.stripe_account_id, s.stripe_payouts_enabled,
           s.paypal_receiver_encrypted IS NOT NULL AS has_paypal_receiver, s.minimum_minor
    FROM acc
    JOIN bal ON bal.account_id = acc.account_id
    JOIN affiliates f ON f.id::text = acc.owner_id
    LEFT JOIN affiliate_payout_settings s ON s.affiliate_id = f.id
    WHERE bal.balance <> 0
    ORDER BY f.id, acc.currency`,
  );
  return rows.map((r) => ({
    accountId: Number(r.account_id),
    affiliateId: r.affiliate_id,
    currency: r.currency.trim(),
    balanceMinor: Number(r.balance),
    heldMinor: Number(r.held),
    holdDays: r.hold_days,
    affiliateActive: r.active,
    method: r.method,
    stripeAccountId: r.stripe_account_id,
    stripePayoutsEnabled: r.stripe_payouts_enabled ?? false,
    hasPaypalReceiver: r.has_paypal_receiver,
    minimumMinor: r.minimum_minor === null ? null : Number(r.minimum_minor),
  }));
}

/** Who would be paid what as of `cutoff`, and who is skipped and why. Moves nothing. */
export async function payoutDecisions(db: Database, filter: PayableFilter): Promise<PayoutDecision[]> {
  const rows = await readPayables(db, filter);
  return rows.map((row) => decidePayout(row, filter.network, filter.cutoff));
}
