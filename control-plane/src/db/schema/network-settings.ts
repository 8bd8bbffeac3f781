import { DEFAULT_TRACKING_PRIVACY, type TrackingPrivacy } from '@tas/shared/privacy';
import { boolean, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Network-wide edge settings (one row): blocklists applied to every offer, and the exchange
 * rates a sale amount in another currency is converted by into its offer's currency.
 */
export const networkSettings = pgTable('network_settings', {
  id: boolean().primaryKey().default(true),
  blockedIps: text().array().notNull().default([]),
  blockedUserAgents: text().array().notNull().default([]),
  exchangeRates: jsonb().$type<{ from: string; to: string; rate: string }[]>().notNull().default([]),
  /** How the edge treats ips, user agents, consent and EU visitors; offers may override (issue 14). */
  privacy: jsonb().$type<TrackingPrivacy>().notNull().default(DEFAULT_TRACKING_PRIVACY),
  revision: integer().notNull().default(1),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
