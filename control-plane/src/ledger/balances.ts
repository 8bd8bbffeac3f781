import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import { ledgerAccounts } from '../db/schema/ledger.ts';
import type { AccountKind } from './ledger-accounts.ts';

/**
 * Accounts whose natural balance is a credit: what the network owes (an advertiser's prepaid
 * money, an affiliate's earnings) and what it earned. They are shown negated, so that an affiliate
 * owed 15.00 sees +15.00 and an advertiser owing 25.00 sees −25.00, as on a statement. Cash and
 * money in transit are the network's assets: shown as stored (debit positive).
 */
export const CREDIT_NORMAL_KINDS: readonly AccountKind[] = [
  'advertiser',
  'affiliate_payable',
  'network_revenue',
];

/** A stored (debit-positive) amount as its account's owner reads it. */
export const presented = (kind: AccountKind, amountMinor: number) =>
  CREDIT_NORMAL_KINDS.includes(kind) ? -amountMinor || 0 : amountMinor;

export type BalanceFilter = {
  kind?: AccountKind | undefined;
  ownerId?: string | undefined;
  /** Any of these kinds (a role's scope); ANDed with `kind`. */
  kinds?: readonly AccountKind[] | undefined;
  currency?: string | undefined;
  accountIds?: readonly number[] | undefined;
  after?: number | undefined;
  limit: number;
};

export type AccountBalance = {
  accountId: number;
  kind: AccountKind;
  ownerId: string;
  currency: string;
  /** Held by pending conversions, not owed yet. */
  pendingMinor: number;
  /** Owed for real. */
  postedMinor: number;
};

/**
 * Balances of the accounts matching the filter, by layer, summed from their entries (never
 * stored), presented credit-positive where that is the account's nature. Keyset-paged by id.
 */
export async function accountBalances(
  db: Database,
  filter: BalanceFilter,
): Promise<{ rows: AccountBalance[]; nextAfter: number | null }> {
  const accounts = await db
    .select()
    .from(ledgerAccounts)
    .where(
      and(
        filter.kind ? eq(ledgerAccounts.kind, filter.kind) : undefined,
        filter.kinds ? inArray(ledgerAccounts.kind, [...filter.kinds]) : undefined,
        filter.ownerId !== undefined ? eq(ledgerAccounts.ownerId, filter.ownerId) : undefined,
        filter.currency ? eq(ledgerAccounts.currency, filter.currency) : undefined,
        filter.accountIds ? inArray(ledgerAccounts.id, [...filter.accountIds]) : undefined,
        filter.after !== undefined ? gt(ledgerAccounts.id, filter.after) : undefined,
      ),
    )
    .orderBy(asc(ledgerAccounts.id))
    .limit(filter.limit);
  const sums = await sumsByLayer(
    db,
    accounts.map((a) => a.id),
  );
  const rows = accounts.map((a) => {
    const s = sums.get(a.id) ?? { pending: 0, posted: 0 };
    return {
      accountId: a.id,
      kind: a.kind,
      ownerId: a.ownerId,
      currency: a.currency.trim(),
      pendingMinor: presented(a.kind, s.pending),
      postedMinor: presented(a.kind, s.posted),
    };
  });
  return { rows, nextAfter: accounts.length === filter.limit ? (accounts.at(-1)?.id ?? null) : null };
}

/** Stored (debit-positive) sums of the accounts' entries, by layer. */
export async function sumsByLayer(
  db: Database,
  accountIds: readonly number[],
): Promise<Map<number, { pending: number; posted: number }>> {
  const sums = new Map<number, { pending: number; posted: number }>();
  if (accountIds.length === 0) return sums;
  const rows = await queryRows<{
    account_id: number | string;
    layer: 'pending' | 'posted';
    amount: number | string;
  }>(
    db,
    sql`
    SELECT e.account_id, e.layer, sum(e.amount_minor) AS amount
    FROM ledger_entries e
    WHERE e.account_id = ANY(${sql.param([...accountIds])}::bigint[])
    GROUP BY e.account_id, e.layer`,
  );
  for (const row of rows) {
    const id = Number(row.account_id);
    const s = sums.get(id) ?? { pending: 0, posted: 0 };
    s[row.layer] = Number(row.amount);
    sums.set(id, s);
  }
  return sums;
}
