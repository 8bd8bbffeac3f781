import { bigint, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { advertisers } from './advertisers.ts';
import { users } from './users.ts';

export const topUpStatus = pgEnum('top_up_status', ['open', 'paid', 'expired', 'failed']);

/**
 * An advertiser's prepaid top-up through Stripe Checkout: opened by TAS (its id is the
 * idempotency key of the Checkout Session), paid when Stripe says the session is paid, and only
 * then credited in the ledger (a `top_up` transfer keyed by the session). Its status only moves
 * forward: open -> paid | expired | failed.
 */
export const topUps = pgTable(
  'top_ups',
  {
    id: uuid().primaryKey(),
    advertiserId: integer()
      .notNull()
      .references(() => advertisers.id),
    amountMinor: bigint({ mode: 'number' }).notNull(),
    currency: text().notNull(),
    status: topUpStatus().notNull().default('open'),
    checkoutSessionId: text().unique(),
    checkoutUrl: text(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp({ withTimezone: true }),
    /** The processor's reason when it failed (never a secret). */
    failure: text(),
  },
  (t) => [index().on(t.advertiserId, t.createdAt)],
);
export type TopUp = typeof topUps.$inferSelect;
