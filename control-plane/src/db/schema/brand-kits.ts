import { integer, jsonb, pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';
import { advertisers } from './advertisers.ts';
import { entityId, timestamps } from './columns.ts';
import { users } from './users.ts';

/** What a brand kit version holds: render/brand-kit.ts's fields, the logo as an asset id. */
export type StoredBrandKit = {
  name: string;
  colors: { primary: string; secondary: string; background: string; text: string };
  font: string;
  logoAssetId: number | null;
  tone: string | null;
  bannedWords: string[];
};

/** An advertiser's brand kit; its content lives in versions so assets keep the one they used. */
export const brandKits = pgTable('brand_kits', {
  id: entityId(),
  advertiserId: integer()
    .notNull()
    .references(() => advertisers.id),
  currentVersion: integer().notNull().default(1),
  ...timestamps,
});
export type BrandKitRow = typeof brandKits.$inferSelect;

/** Every save of a brand kit, never changed afterwards. */
export const brandKitVersions = pgTable(
  'brand_kit_versions',
  {
    brandKitId: integer()
      .notNull()
      .references(() => brandKits.id),
    version: integer().notNull(),
    kit: jsonb().$type<StoredBrandKit>().notNull(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.brandKitId, t.version] })],
);
export type BrandKitVersion = typeof brandKitVersions.$inferSelect;
