import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  char,
  check,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/*
 * The money ledger (docs/decisions/021-ledger.md): double entry, append-only. Balances are never
 * stored; they are sums of entries. The migration adds what Drizzle cannot say: a deferred
 * constraint trigger refusing at commit any transfer whose entries do not net to zero per currency
 * and layer (and whose entries name no account in their currency), and triggers refusing UPDATE,
 * DELETE and TRUNCATE of accounts, transfers and entries.
 */

export const ledgerAccountKind = pgEnum('ledger_account_kind', [
  'advertiser',
  'affiliate_payable',
  'network_revenue',
  'processor_cash',
  'payouts_in_transit',
]);

export const ledgerTransferKind = pgEnum('ledger_transfer_kind', [
  'hold',
  'post',
  'void',
  'reverse',
  'adjust',
  'top_up',
  'payout',
  'payout_settled',
  'payout_failed',
  'invoice',
  'correction',
]);

/** pending: what pending conversions hold; posted: what is owed for real. */
export const ledgerLayer = pgEnum('ledger_layer', ['pending', 'posted']);

/**
 * An account is (kind, owner, currency), created on first use. The owner is the advertiser's or
 * affiliate's id in decimal, the processor's name (`stripe`, `paypal`, `bank`) or `network`: text,
 * because owners are of several kinds and an account outlives none of them.
 */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: ledgerAccountKind().notNull(),
    ownerId: text().notNull(),
    currency: char({ length: 3 }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.kind, t.ownerId, t.currency)],
);
export type LedgerAccount = typeof ledgerAccounts.$inferSelect;

/**
 * A transfer moves money between accounts by its entries, exactly once: its idempotency key is
 * unique, so a retried write finds the transfer it already made.
 */
export const ledgerTransfers = pgTable(
  'ledger_transfers',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    idempotencyKey: text().notNull(),
    kind: ledgerTransferKind().notNull(),
    /** The conversion whose figures it follows, for conversion transfers. */
    conversionId: uuid(),
    /** The payout it belongs to, for payout transfers. */
    payoutId: uuid(),
    /** The pending transfer this one posts or voids, when it settles one (payouts). */
    pendingTransferId: bigint({ mode: 'number' }).references((): AnyPgColumn => ledgerTransfers.id),
    /** Why, for people: a correction's reason, a processor's reference. */
    memo: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.idempotencyKey), index().on(t.conversionId), index().on(t.payoutId)],
);
export type LedgerTransfer = typeof ledgerTransfers.$inferSelect;

/** One leg of a transfer: signed integer minor units, debit positive, credit negative. */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    transferId: bigint({ mode: 'number' })
      .notNull()
      .references(() => ledgerTransfers.id),
    /**
     * Its account, in the account's currency: checked at commit by the balance trigger rather than
     * by a foreign key, whose KEY SHARE lock per entry made the busiest accounts hot rows (migration
     * 0021). Accounts are never deleted or changed, so what was checked stays true.
     */
    accountId: bigint({ mode: 'number' }).notNull(),
    layer: ledgerLayer().notNull(),
    amountMinor: bigint({ mode: 'number' }).notNull(),
    /** The account's currency, kept on the entry so a transfer's balance is checked per currency. */
    currency: char({ length: 3 }).notNull(),
  },
  (t) => [
    index().on(t.accountId, t.layer),
    // An account's transfers in id order (the transfer list's accountId filter, the Balance page)
    // read this index from the page's start instead of every entry the account ever had.
    index().on(t.accountId, t.transferId),
    index().on(t.transferId),
    // A zero leg says nothing and would hide a mistake in the difference that made it.
    check('ledger_entries_amount_not_zero', sql`${t.amountMinor} <> 0`),
  ],
);
export type LedgerEntry = typeof ledgerEntries.$inferSelect;
