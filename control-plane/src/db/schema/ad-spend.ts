import {
  bigint,
  boolean,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { adPlatformConnections } from './ad-platform-connections.ts';
import { campaigns } from './campaigns.ts';
import { offers } from './offers.ts';

/**
 * A campaign on an ad platform, as last listed, and what it maps to in TAS: its spend counts
 * against `offerId` in the ROI report (decision 030).
 */
export const adPlatformCampaigns = pgTable(
  'ad_platform_campaigns',
  {
    connectionId: uuid()
      .notNull()
      .references(() => adPlatformConnections.id),
    platformCampaignId: text().notNull(),
    name: text().notNull(),
    status: text().notNull().$type<'active' | 'paused' | 'other'>(),
    offerId: integer().references(() => offers.id),
    /** When this TAS campaign's budget stops it, TAS pauses the platform campaign too. */
    campaignId: integer().references(() => campaigns.id),
    pauseOnBudgetStop: boolean().notNull().default(false),
    /** Paused by TAS for a budget stop: resumed by TAS when the budget allows again. */
    pausedByBudgetStop: boolean().notNull().default(false),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.platformCampaignId] }), index().on(t.offerId)],
);
export type AdPlatformCampaign = typeof adPlatformCampaigns.$inferSelect;

/** One platform campaign's cost for one UTC day, in the ad account's currency, as the platform last said. */
export const adSpendDays = pgTable(
  'ad_spend_days',
  {
    connectionId: uuid()
      .notNull()
      .references(() => adPlatformConnections.id),
    platformCampaignId: text().notNull(),
    day: date({ mode: 'string' }).notNull(),
    currency: text().notNull(),
    costMinor: bigint({ mode: 'number' }).notNull(),
    impressions: bigint({ mode: 'number' }).notNull().default(0),
    clicks: bigint({ mode: 'number' }).notNull().default(0),
    syncedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.platformCampaignId, t.day] }), index().on(t.day)],
);
export type AdSpendDay = typeof adSpendDays.$inferSelect;
