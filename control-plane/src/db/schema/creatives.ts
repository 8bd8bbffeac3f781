import { integer, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns.ts';
import { entityId, timestamps } from './columns.ts';

export const creativeType = pgEnum('creative_type', ['image', 'video', 'html']);

export const creatives = pgTable('creatives', {
  id: entityId(),
  campaignId: integer()
    .notNull()
    .references(() => campaigns.id),
  name: text().notNull(),
  type: creativeType().notNull(),
  url: text().notNull(),
  /** Placement size, e.g. 300x250. */
  size: text(),
  ...timestamps,
});
export type Creative = typeof creatives.$inferSelect;
