import { bigint, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** The sums every rollup keeps (a new builder per table: drizzle binds a column to its table). */
const rollupMeasures = () => ({
  clicks: bigint({ mode: 'number' }).notNull().default(0),
  uniqueClicks: bigint({ mode: 'number' }).notNull().default(0),
  invalidClicks: bigint({ mode: 'number' }).notNull().default(0),
  botClicks: bigint({ mode: 'number' }).notNull().default(0),
  blockedClicks: bigint({ mode: 'number' }).notNull().default(0),
  velocityClicks: bigint({ mode: 'number' }).notNull().default(0),
  conversions: bigint({ mode: 'number' }).notNull().default(0),
  approvedConversions: bigint({ mode: 'number' }).notNull().default(0),
  pendingConversions: bigint({ mode: 'number' }).notNull().default(0),
  rejectedConversions: bigint({ mode: 'number' }).notNull().default(0),
  payoutMinor: bigint({ mode: 'number' }).notNull().default(0),
  revenueMinor: bigint({ mode: 'number' }).notNull().default(0),
});

/**
 * Hourly rollup by offer, affiliate, sub1, country and device, kept by the ingest statement and
 * by conversion changes. Missing dimensions are '' (not null) so they can be part of the key.
 * Conversions count when not rejected, in the hour they happened, and by status in
 * `approvedConversions`, `pendingConversions` and `rejectedConversions` (so `conversions` is
 * approved + pending; money counts only for those). `clicks` are gross clicks; a click with an
 * invalid flag (bot, duplicate, blocked ip or user agent, ip velocity) counts in `invalidClicks`
 * too, and in the column of each flag it has (one click may have several).
 */
export const hourlyStats = pgTable(
  'hourly_stats',
  {
    hour: timestamp({ withTimezone: true }).notNull(),
    offerId: integer().notNull(),
    affiliateId: integer().notNull(),
    sub1: text().notNull(),
    country: text().notNull(),
    device: text().notNull(),
    ...rollupMeasures(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.offerId, t.affiliateId, t.sub1, t.country, t.device] })],
);

/**
 * The same sums by hour, offer and affiliate only: the report most asked for (a month by day x
 * offer x affiliate) reads a hundredth of the rows of hourly_stats (decision 032). Kept by
 * statement triggers on hourly_stats (migration 0034), so every writer of hourly_stats, this
 * version's or an older one's during a rolling upgrade, keeps it too.
 */
export const hourlyOfferStats = pgTable(
  'hourly_offer_stats',
  {
    hour: timestamp({ withTimezone: true }).notNull(),
    offerId: integer().notNull(),
    affiliateId: integer().notNull(),
    ...rollupMeasures(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.offerId, t.affiliateId] })],
);

/**
 * The same sums by UTC day, offer and affiliate: a month of the report most asked for reads 30
 * rows per offer and affiliate instead of 720 (decision 036). `day` is the UTC midnight the day
 * starts at. Kept by the statement triggers on hourly_stats that keep hourly_offer_stats (their
 * functions replaced by migration 0037), so every writer of hourly_stats keeps it too, in the
 * same statement.
 */
export const dailyOfferStats = pgTable(
  'daily_offer_stats',
  {
    day: timestamp({ withTimezone: true }).notNull(),
    offerId: integer().notNull(),
    affiliateId: integer().notNull(),
    ...rollupMeasures(),
  },
  (t) => [primaryKey({ columns: [t.day, t.offerId, t.affiliateId] })],
);
