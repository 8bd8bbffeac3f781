import { pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { entityId, timestamps } from './columns.ts';
import { users } from './users.ts';

export const affiliateStatus = pgEnum('affiliate_status', ['pending', 'active', 'suspended']);

export const affiliates = pgTable('affiliates', {
  id: entityId(),
  userId: uuid()
    .unique()
    .references(() => users.id),
  companyName: text().notNull(),
  websiteUrl: text(),
  contactEmail: text(),
  contactPhone: text(),
  /** Payment details, encrypted by the application before they are stored (never plain text). */
  paymentDetailsEncrypted: text(),
  status: affiliateStatus().notNull().default('active'),
  ...timestamps,
});
export type Affiliate = typeof affiliates.$inferSelect;
