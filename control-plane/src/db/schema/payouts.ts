import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
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
import { affiliates } from './affiliates.ts';
import { users } from './users.ts';

/*
 * Affiliate payouts (docs/decisions/023-payout-runs.md). A run pays each eligible affiliate its
 * payable balance per currency; a payout's id is the idempotency key of everything done for it:
 * its ledger transfers (`payout:{id}`...), its Stripe transfer, its PayPal item.
 */

export const payoutSchedule = pgEnum('payout_schedule', ['weekly', 'monthly']);
export const payoutMethod = pgEnum('payout_method', ['stripe_connect', 'paypal', 'bank_transfer']);
export const payoutStatus = pgEnum('payout_status', ['pending', 'sent', 'paid', 'failed', 'cancelled']);
export const payoutRunStatus = pgEnum('payout_run_status', ['running', 'interrupted', 'completed']);

/** The network's payout defaults (one row, created on first write). */
export const payoutNetworkSettings = pgTable('payout_network_settings', {
  id: boolean().primaryKey().default(true),
  /** Runs start by themselves on schedule (the periodic task); otherwise admins start them. */
  automatic: boolean().notNull().default(false),
  schedule: payoutSchedule().notNull().default('monthly'),
  /** ISO weekday (1 = Monday) of weekly runs. */
  weeklyDay: integer().notNull().default(1),
  /** Day of the month (1-28) of monthly runs. */
  monthlyDay: integer().notNull().default(1),
  /** Minimum payout in minor units where no per-currency minimum is set. */
  defaultMinimumMinor: bigint({ mode: 'number' }).notNull().default(5000),
  /** Minimum per currency (ISO code -> minor units). */
  minimumByCurrency: jsonb().$type<Record<string, number>>().notNull().default({}),
  /** Conversions approved within this many days are not paid yet (refund window). */
  holdDays: integer().notNull().default(30),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** An affiliate's payout method and its overrides of the network's defaults. */
export const affiliatePayoutSettings = pgTable('affiliate_payout_settings', {
  affiliateId: integer()
    .primaryKey()
    .references(() => affiliates.id),
  method: payoutMethod(),
  stripeAccountId: text(),
  /** From Stripe (`account.updated`, or read at onboarding): the account can be paid out. */
  stripePayoutsEnabled: boolean().notNull().default(false),
  /** The PayPal receiver (email), encrypted with the payment-details cipher. */
  paypalReceiverEncrypted: text(),
  schedule: payoutSchedule(),
  minimumMinor: bigint({ mode: 'number' }),
  holdDays: integer(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
export type AffiliatePayoutSettings = typeof affiliatePayoutSettings.$inferSelect;

/** One run over the affiliates: who started it, as of when, how far it got. */
export const payoutRuns = pgTable(
  'payout_runs',
  {
    /** Time-ordered (UUIDv7); PayPal's sender_batch_id of the run's batch. */
    id: uuid().primaryKey(),
    /** The admin who started it; null for a scheduled run. */
    startedBy: uuid().references(() => users.id),
    /** weekly:2026-W48 / monthly:2026-11 for scheduled runs: at most one per period. */
    periodKey: text(),
    /** Only affiliates on this schedule (scheduled runs); null: everyone (pay now). */
    schedule: payoutSchedule(),
    /** Balances are paid as of this time, less what was approved within the hold before it. */
    cutoff: timestamp({ withTimezone: true }).notNull(),
    status: payoutRunStatus().notNull().default('running'),
    paypalBatchId: text(),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex().on(t.periodKey)],
);
export type PayoutRun = typeof payoutRuns.$inferSelect;

export const payouts = pgTable(
  'payouts',
  {
    /** Time-ordered (UUIDv7); the idempotency key at the ledger and at the processor. */
    id: uuid().primaryKey(),
    runId: uuid()
      .notNull()
      .references(() => payoutRuns.id),
    affiliateId: integer()
      .notNull()
      .references(() => affiliates.id),
    currency: char({ length: 3 }).notNull(),
    amountMinor: bigint({ mode: 'number' }).notNull(),
    method: payoutMethod().notNull(),
    status: payoutStatus().notNull().default('pending'),
    /** Ledger credits on the payable made up to this time are what the payout covers. */
    coversUntil: timestamp({ withTimezone: true }).notNull(),
    /** When the amount left the payable for payouts_in_transit (in the transaction that posted it). */
    postedAt: timestamp({ withTimezone: true }),
    /** Stripe transfer id, PayPal payout item or batch id. */
    processorReference: text(),
    failureReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
    settledAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex().on(t.runId, t.affiliateId, t.currency),
    index().on(t.affiliateId, t.id),
    index().on(t.status),
    check('payouts_amount_positive', sql`${t.amountMinor} >= 0`),
  ],
);
export type Payout = typeof payouts.$inferSelect;
