import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Requests counted per caller in the current fixed window (API rate limits), shared by every
 * control-plane instance on the database. One row per caller (`key:<api key id>`, `user:<id>`,
 * `ip:<address>`) overwritten in place when a new window starts, so the table holds the callers
 * seen lately and nothing more; rows idle for a while are pruned (http/rate-limit/rate-window-pruner.ts).
 * No index beside the key: the window columns change on every request and stay HOT updates.
 */
export const rateWindows = pgTable('rate_windows', {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  count: integer().notNull(),
});
