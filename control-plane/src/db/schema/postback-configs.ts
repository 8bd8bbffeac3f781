import { boolean, integer, jsonb, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { affiliates } from './affiliates.ts';
import { entityId, timestamps } from './columns.ts';
import { offers } from './offers.ts';

export const httpMethod = pgEnum('http_method', ['GET', 'POST']);
export const postbackTrigger = pgEnum('postback_trigger', ['approved', 'pending']);

/** An affiliate's outgoing postback, global (offer null) or for one offer. */
export const postbackConfigs = pgTable('postback_configs', {
  id: entityId(),
  affiliateId: integer()
    .notNull()
    .references(() => affiliates.id),
  offerId: integer().references(() => offers.id),
  url: text().notNull(),
  method: httpMethod().notNull().default('GET'),
  headers: jsonb().$type<Record<string, string>>().notNull().default({}),
  /** For POST: body parameters with macros. */
  parameters: jsonb().$type<Record<string, string>>().notNull().default({}),
  fireOn: postbackTrigger().notNull().default('approved'),
  isActive: boolean().notNull().default(true),
  ...timestamps,
});
export type PostbackConfig = typeof postbackConfigs.$inferSelect;
