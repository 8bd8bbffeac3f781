import { bigint, date, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { advertisers } from './advertisers.ts';
import { entityId, timestamps } from './columns.ts';
import { offers } from './offers.ts';

export const campaignStatus = pgEnum('campaign_status', ['draft', 'active', 'paused', 'completed']);

export const campaigns = pgTable('campaigns', {
  id: entityId(),
  advertiserId: integer()
    .notNull()
    .references(() => advertisers.id),
  offerId: integer().references(() => offers.id),
  name: text().notNull(),
  description: text(),
  status: campaignStatus().notNull().default('draft'),
  startDate: date(),
  endDate: date(),
  budgetMinor: bigint({ mode: 'number' }),
  dailyBudgetMinor: bigint({ mode: 'number' }),
  currency: text().notNull().default('USD'),
  /** When approved spend reached the total budget (null: it has not); the edge stops the campaign. */
  budgetSpentAt: timestamp({ withTimezone: true }),
  /** The last UTC day whose spend reached the daily budget; the edge stops the campaign for that day. */
  dailyBudgetSpentOn: date(),
  ...timestamps,
});
export type Campaign = typeof campaigns.$inferSelect;
