import { index, inet, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/**
 * A login: one refresh-token family. Access tokens name their session (`sid`), and every request
 * checks it is still open, so logging out ends a session at once rather than at token expiry.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    userAgent: text(),
    ip: inet(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The family's refresh tokens stop working at this time, however often they rotate. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    /** logout, logout_others, refresh_reuse, password_reset */
    revokedReason: text(),
  },
  (t) => [index().on(t.userId)],
);
export type Session = typeof sessions.$inferSelect;
