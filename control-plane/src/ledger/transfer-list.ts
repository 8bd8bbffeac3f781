import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import { presented } from './balances.ts';
import type { AccountKind } from './ledger-accounts.ts';
import type { Layer, TransferKind } from './post-transfer.ts';

export type TransferFilter = {
  conversionId?: string | undefined;
  payoutId?: string | undefined;
  kind?: TransferKind | undefined;
  accountId?: number | undefined;
  after?: number | undefined;
  /** asc: oldest first (the default); desc: newest first, `after` continuing below that id. */
  order?: 'asc' | 'desc' | undefined;
  limit: number;
};

export type ListedTransfer = {
  id: number;
  idempotencyKey: string;
  kind: TransferKind;
  conversionId: string | null;
  payoutId: string | null;
  pendingTransferId: number | null;
  memo: string | null;
  createdAt: Date;
  entries: {
    accountId: number;
    account: { kind: AccountKind; ownerId: string; currency: string };
    layer: Layer;
    amountMinor: number;
    presentedMinor: number;
  }[];
};

/**
 * Transfers in id order after `after` (or, newest first, before it), each with its entries. With `scope`, only transfers that
 * touch the scope's accounts, showing only the entries on those accounts (an affiliate sees what
 * moved its payable, never the advertiser's or the network's side), and `accountId` must be one
 * of them: naming another's account finds nothing, so no one learns which transfers touch it.
 */
export async function listTransfers(
  db: Database,
  filter: TransferFilter,
  scope: { kinds: AccountKind[]; ownerId: string } | null,
): Promise<{ rows: ListedTransfer[]; nextAfter: number | null }> {
  const newestFirst = filter.order === 'desc';
  // The scope's accounts as ids, read first: a condition on constant account ids lets the planner
  // walk the (account, transfer) index in transfer order; joined to ledger_accounts instead, it read
  // every entry in transfer order looking for the account's (220 ms for an affiliate's page at
  // 300,000 transfers, 20 ms this way).
  const own = scope
    ? (
        await queryRows<{ id: number | string }>(
          db,
          sql`SELECT id FROM ledger_accounts
              WHERE kind = ANY(${sql.param(scope.kinds)}::ledger_account_kind[]) AND owner_id = ${scope.ownerId}`,
        )
      ).map((r) => Number(r.id))
    : null;
  const accounts = filter.accountId !== undefined ? [filter.accountId] : own;
  if (own !== null && (accounts ?? []).some((id) => !own.includes(id))) return { rows: [], nextAfter: null };
  if (accounts !== null && accounts.length === 0) return { rows: [], nextAfter: null };
  const onAccounts =
    accounts === null
      ? sql`true`
      : accounts.length === 1
        ? sql`e.account_id = ${accounts[0]}`
        : sql`e.account_id = ANY(${sql.param(accounts)}::bigint[])`;
  // An admin's entries are all shown; anyone else's only those on their own accounts.
  const visible = own === null ? sql`true` : sql`e.account_id = ANY(${sql.param(own)}::bigint[])`;
  const rows = await queryRows<{
    id: number | string;
    idempotency_key: string;
    kind: TransferKind;
    conversion_id: string | null;
    payout_id: string | null;
    pending_transfer_id: number | string | null;
    memo: string | null;
    created_at: string | Date;
    entries: {
      accountId: number;
      kind: AccountKind;
      ownerId: string;
      currency: string;
      layer: Layer;
      amountMinor: number;
    }[];
  }>(
    db,
    sql`
    WITH page AS (
      SELECT t.* FROM ledger_transfers t
      WHERE ${filter.after === undefined ? sql`true` : newestFirst ? sql`t.id < ${filter.after}` : sql`t.id > ${filter.after}`}
        ${filter.conversionId ? sql`AND t.conversion_id = ${filter.conversionId}::uuid` : sql``}
        ${filter.payoutId ? sql`AND t.payout_id = ${filter.payoutId}::uuid` : sql``}
        ${filter.kind ? sql`AND t.kind = ${filter.kind}::ledger_transfer_kind` : sql``}
        ${accounts === null ? sql`` : sql`AND EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transfer_id = t.id AND ${onAccounts})`}
      ORDER BY ${newestFirst ? sql`t.id DESC` : sql`t.id`}
      LIMIT ${filter.limit}
    )
    SELECT p.id, p.idempotency_key, p.kind, p.conversion_id, p.payout_id, p.pending_transfer_id, p.memo, p.created_at,
           (SELECT json_agg(json_build_object('accountId', e.account_id, 'kind', a.kind, 'ownerId', a.owner_id,
                                              'currency', a.currency, 'layer', e.layer, 'amountMinor', e.amount_minor)
                            ORDER BY e.id)
            FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
            WHERE e.transfer_id = p.id AND ${visible}) AS entries
    FROM page p
    ORDER BY ${newestFirst ? sql`p.id DESC` : sql`p.id`}`,
  );
  const listed = rows.map((r) => ({
    id: Number(r.id),
    idempotencyKey: r.idempotency_key,
    kind: r.kind,
    conversionId: r.conversion_id,
    payoutId: r.payout_id,
    pendingTransferId: r.pending_transfer_id === null ? null : Number(r.pending_transfer_id),
    memo: r.memo,
    createdAt: new Date(r.created_at),
    entries: (r.entries ?? []).map((e) => ({
      accountId: Number(e.accountId),
      account: { kind: e.kind, ownerId: e.ownerId, currency: e.currency.trim() },
      layer: e.layer,
      amountMinor: Number(e.amountMinor),
      presentedMinor: presented(e.kind, Number(e.amountMinor)),
    })),
  }));
  return { rows: listed, nextAfter: listed.length === filter.limit ? (listed.at(-1)?.id ?? null) : null };
}
