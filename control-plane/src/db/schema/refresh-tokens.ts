import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sessions } from './sessions.ts';

/**
 * Refresh tokens, stored as SHA-256 of 256 random bits (a fast hash suffices for that much
 * entropy). Each is used once: using one marks it, and presenting a used one again revokes its
 * whole session (someone else holds a copy).
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    tokenHash: text().primaryKey(),
    sessionId: uuid()
      .notNull()
      .references(() => sessions.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.sessionId)],
);
