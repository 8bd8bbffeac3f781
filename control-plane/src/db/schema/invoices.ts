import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { advertisers } from './advertisers.ts';

/*
 * Postpaid advertisers' invoices through Stripe Invoicing (docs/decisions/025-postpaid-invoices.md).
 * A row is written before Stripe is called, with its key; every Stripe step is keyed from it, so a
 * run that stopped anywhere is resumed without creating anything twice.
 */

/**
 * draft: recorded, not yet finalized at Stripe; open: finalized and sent, waiting for payment;
 * paid (the ledger has its `invoice` transfer), void, uncollectible (Stripe may still be paid
 * later). Only forward: see invoice-status.ts.
 */
export const invoiceStatus = pgEnum('invoice_status', ['draft', 'open', 'paid', 'void', 'uncollectible']);

/** A line as sent to Stripe; kept so that a resumed run sends exactly the same parameters. */
export type InvoiceLineRecord = {
  description: string;
  amountMinor: number;
  /** The offer whose conversions it charges; null for the credit applied from the balance. */
  offerId: number | null;
};

export const invoices = pgTable(
  'invoices',
  {
    /** Time-ordered (UUIDv7), so keyset pages come newest first by id. */
    id: uuid().primaryKey(),
    advertiserId: integer()
      .notNull()
      .references(() => advertisers.id),
    currency: char({ length: 3 }).notNull(),
    /** The period it is for, by name: `2026-11` (monthly) or `2026-W48` (weekly). */
    period: text().notNull(),
    /** What it charges: ledger movements with created_at in [periodStart, periodEnd), UTC. */
    periodStart: timestamp({ withTimezone: true }).notNull(),
    periodEnd: timestamp({ withTimezone: true }).notNull(),
    /** `invoice:advertiser:7:USD:2026-11`: at most one invoice per advertiser, currency and period. */
    key: text().notNull(),
    /** What the period's conversions came to (posted, net of reversals). */
    chargesMinor: bigint({ mode: 'number' }).notNull(),
    /** What is invoiced: the charges less what the advertiser's balance already covers. */
    amountMinor: bigint({ mode: 'number' }).notNull(),
    lines: jsonb().$type<InvoiceLineRecord[]>().notNull(),
    /** Net terms when it was made (a later change of terms does not change a resumed invoice). */
    daysUntilDue: integer().notNull(),
    status: invoiceStatus().notNull().default('draft'),
    stripeCustomerId: text(),
    /** The prefix of the Stripe idempotency keys in use (the key, or a new one after a stale draft). */
    stripeKey: text().notNull(),
    /** When the Stripe keys in use were first sent; Stripe forgets keys after 24 hours. */
    stripeKeySince: timestamp({ withTimezone: true }),
    stripeInvoiceId: text(),
    stripeInvoiceNumber: text(),
    hostedInvoiceUrl: text(),
    dueAt: timestamp({ withTimezone: true }),
    sentAt: timestamp({ withTimezone: true }),
    paidAt: timestamp({ withTimezone: true }),
    /** When it became void or uncollectible. */
    closedAt: timestamp({ withTimezone: true }),
    /** Stripe's last refusal or payment failure, for admins (never a secret). */
    failure: text(),
    attempts: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex().on(t.key),
    uniqueIndex().on(t.stripeInvoiceId),
    index().on(t.advertiserId, t.currency, t.periodEnd),
    index().on(t.advertiserId, t.id),
    index().on(t.status),
    check('invoices_amount_positive', sql`${t.amountMinor} > 0`),
    check('invoices_period_ordered', sql`${t.periodStart} < ${t.periodEnd}`),
  ],
);
export type Invoice = typeof invoices.$inferSelect;
