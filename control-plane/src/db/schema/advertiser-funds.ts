import { char, integer, pgEnum, pgTable, primaryKey, timestamp } from 'drizzle-orm/pg-core';
import { advertisers } from './advertisers.ts';

/*
 * Whether an advertiser's money still covers its offers, per currency (decision 024). The balance
 * itself is never stored (decision 021: it is a sum of ledger entries); this is the state last
 * published to the edge, kept so that a change of state is noticed once: the offers republished
 * and the advertiser emailed once, not on every evaluation.
 */

/** available: serving; low: serving, below the low-balance threshold; exhausted: stopped at the edge. */
export const fundsState = pgEnum('funds_state', ['available', 'low', 'exhausted']);

/**
 * One row per advertiser and currency once evaluated; an advertiser without a row is available
 * (what every advertiser was before billing terms existed).
 */
export const advertiserFunds = pgTable(
  'advertiser_funds',
  {
    advertiserId: integer()
      .notNull()
      .references(() => advertisers.id),
    currency: char({ length: 3 }).notNull(),
    state: fundsState().notNull(),
    /**
     * The most severe notice emailed since the state was last available (null: none), so that the
     * advertiser hears of a fall below the threshold once, and of running out once, until it recovers.
     */
    noticed: fundsState(),
    changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.advertiserId, t.currency] })],
);
export type AdvertiserFundsRow = typeof advertiserFunds.$inferSelect;
