import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/**
 * Each data subject request (export or erasure) an admin made, with who asked and when. The
 * subject itself is kept only as a SHA-256 digest (this log must not hold what an erasure
 * removed): the same subject asked again finds its earlier requests by the digest.
 */
export const dataSubjectRequests = pgTable(
  'data_subject_requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: text().notNull().$type<'export' | 'erase'>(),
    /** email, click_id, txid or ip. */
    subjectType: text().notNull(),
    subjectDigest: text().notNull(),
    requestedBy: uuid().references(() => users.id),
    /** Why, as the admin wrote it (a ticket number, the requester's channel). */
    note: text(),
    /** Rows found or changed per table. */
    counts: jsonb().$type<Record<string, number>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.subjectDigest), index().on(t.createdAt)],
);
export type DataSubjectRequest = typeof dataSubjectRequests.$inferSelect;

/** How far the personal-data retention has erased ip and user agent (one row). */
export const personalDataRetention = pgTable('personal_data_retention', {
  id: text().primaryKey().default('clicks_and_conversions'),
  erasedBefore: timestamp({ withTimezone: true }).notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
