import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { advertisers } from './advertisers.ts';
import { brandKits } from './brand-kits.ts';
import { campaigns } from './campaigns.ts';
import { entityId, timestamps } from './columns.ts';
import { users } from './users.ts';

export const creativeJobStatus = pgEnum('creative_job_status', [
  'queued',
  'running',
  'done',
  'failed',
  'cancelled',
]);
export const creativeJobKind = pgEnum('creative_job_kind', ['image', 'video']);

/** What a job asks the provider for, as accepted by the API (copy without bytes). */
export type CreativeJobInput = {
  copy: { headline: string; subline?: string | undefined; callToAction: string; badge?: string | undefined };
  prompt?: string | undefined;
  layout?: string | undefined;
  placements: string[];
  format: 'png' | 'webp' | 'mp4';
};

/** A generation of creatives run in the background (creatives/jobs/). */
export const creativeJobs = pgTable(
  'creative_jobs',
  {
    id: entityId(),
    advertiserId: integer()
      .notNull()
      .references(() => advertisers.id),
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id),
    brandKitId: integer()
      .notNull()
      .references(() => brandKits.id),
    /** The version in force when the job was made: a later save does not change what it renders. */
    brandKitVersion: integer().notNull(),
    provider: text().notNull(),
    kind: creativeJobKind().notNull(),
    input: jsonb().$type<CreativeJobInput>().notNull(),
    status: creativeJobStatus().notNull().default('queued'),
    progress: integer().notNull().default(0),
    attempts: integer().notNull().default(0),
    /** When a queued job may next be claimed (a retry's backoff). */
    runAfter: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Asked while running: the worker aborts the provider's signal and marks it cancelled. */
    cancelRequested: boolean().notNull().default(false),
    errorCode: text(),
    errorMessage: text(),
    costEstimate: jsonb().$type<{ currency: 'USD'; amountMinor: number; basis: string }>(),
    createdBy: uuid().references(() => users.id),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [index().on(t.status, t.runAfter), index().on(t.advertiserId, t.status)],
);
export type CreativeJob = typeof creativeJobs.$inferSelect;
