import { bigint, index, integer, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { advertisers } from './advertisers.ts';
import { brandKits } from './brand-kits.ts';
import { entityId } from './columns.ts';
import { creativeJobs } from './creative-jobs.ts';
import { creatives } from './creatives.ts';
import { users } from './users.ts';

/**
 * A file of the asset library: uploaded or generated, stored by its SHA-256 (so the same bytes
 * are stored once), with what made it. A brand kit's logo is an asset without a creative.
 */
export const creativeAssets = pgTable(
  'creative_assets',
  {
    id: entityId(),
    advertiserId: integer()
      .notNull()
      .references(() => advertisers.id),
    creativeId: integer().references(() => creatives.id),
    storageKey: text().notNull(),
    contentType: text().notNull(),
    /** Null for an uploaded video (not decoded). */
    width: integer(),
    height: integer(),
    bytes: bigint({ mode: 'number' }).notNull(),
    /** Hex; also the strong ETag. */
    sha256: text().notNull(),
    durationSeconds: real(),
    /** `upload`, or the provider that generated it. */
    provider: text().notNull(),
    model: text(),
    prompt: text(),
    brandKitId: integer().references(() => brandKits.id),
    brandKitVersion: integer(),
    placement: text(),
    jobId: integer().references(() => creativeJobs.id),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.creativeId), index().on(t.advertiserId)],
);
export type CreativeAsset = typeof creativeAssets.$inferSelect;
