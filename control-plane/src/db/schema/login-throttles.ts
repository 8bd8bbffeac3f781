import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Failed-login counters, keyed by `pair:{email}|{ip}` (backoff for one guesser on one account)
 * and `ip:{ip}` (a ceiling for one address across accounts). Never by account alone: that would
 * let anyone lock a user out by failing on purpose.
 */
export const loginThrottles = pgTable('login_throttles', {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  blockedUntil: timestamp({ withTimezone: true }),
});
