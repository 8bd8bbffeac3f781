import { boolean, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Network-wide edge settings (one row): blocklists applied to every offer. */
export const networkSettings = pgTable('network_settings', {
  id: boolean().primaryKey().default(true),
  blockedIps: text().array().notNull().default([]),
  blockedUserAgents: text().array().notNull().default([]),
  revision: integer().notNull().default(1),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
