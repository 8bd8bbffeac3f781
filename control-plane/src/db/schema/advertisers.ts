import { pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { entityId, timestamps } from './columns.ts';
import { users } from './users.ts';

export const advertiserStatus = pgEnum('advertiser_status', ['active', 'suspended']);

export const advertisers = pgTable('advertisers', {
  id: entityId(),
  userId: uuid()
    .unique()
    .references(() => users.id),
  companyName: text().notNull(),
  websiteUrl: text(),
  contactEmail: text(),
  contactPhone: text(),
  billingAddress: text(),
  status: advertiserStatus().notNull().default('active'),
  ...timestamps,
});
export type Advertiser = typeof advertisers.$inferSelect;
