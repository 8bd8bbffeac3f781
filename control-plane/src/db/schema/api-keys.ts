import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/**
 * Server-to-server keys. A key acts as its owner, narrowed to its scopes. Only the SHA-256 of the
 * key is stored; the visible prefix lets people tell their keys apart.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    name: text().notNull(),
    prefix: text().notNull(),
    keyHash: text().notNull().unique(),
    scopes: text().array().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Recorded at most once a minute per key (auth/resolve-principal.ts), with the address it came from. */
    lastUsedAt: timestamp({ withTimezone: true }),
    lastUsedIp: text(),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.userId)],
);
export type ApiKey = typeof apiKeys.$inferSelect;
