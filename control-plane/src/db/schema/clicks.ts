import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * One row per click event from the edge, keyed by the click id (the event id) and its time, so a
 * redelivered event is ignored. No foreign keys: the ingest path stays one cheap statement, and the
 * ids were verified at the edge.
 *
 * Partitioned by range of `occurred_at`, one partition a UTC day, created ahead and dropped after
 * the retention period by the control plane (partitions/, decision 032); drizzle-kit does not model
 * partitioning, so migration 0032 converts the table by hand. The key includes the time because a
 * partitioned table's unique keys must; a click id always comes with the same time.
 */
export const clicks = pgTable(
  'clicks',
  {
    id: text().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    offerId: integer().notNull(),
    affiliateId: integer().notNull(),
    sub1: text(),
    sub2: text(),
    sub3: text(),
    sub4: text(),
    sub5: text(),
    sourceId: text(),
    creativeId: integer(),
    landingPageId: integer(),
    ip: text(),
    userAgent: text(),
    country: text(),
    device: text(),
    os: text(),
    referrer: text(),
    gclid: text(),
    fbclid: text(),
    msclkid: text(),
    ttclid: text(),
    gbraid: text(),
    wbraid: text(),
    /** The click's `consent` parameter: granted, denied, or null when not given (ad platforms, decision 030). */
    consent: text().$type<'granted' | 'denied'>(),
    /** IAB TCF `gdpr` (does GDPR apply) and `gdpr_consent` (the TC string), as the click carried them. */
    gdpr: boolean(),
    gdprConsent: text(),
    /** Google consent mode's `ad_user_data` and `ad_personalization`: granted, denied or null. */
    adUserData: text().$type<'granted' | 'denied'>(),
    adPersonalization: text().$type<'granted' | 'denied'>(),
    outcome: text().notNull(),
    reason: text(),
    fraudFlags: jsonb().$type<string[]>().notNull().default([]),
    /** False for a duplicate click; reports count unique clicks from it. */
    isUnique: boolean().notNull().default(true),
    source: text().notNull().default('redirect'),
    /** cpc offers: what this click pays and earns (unique clicks sent to the offer), else 0. */
    payoutMinor: bigint({ mode: 'number' }).notNull().default(0),
    revenueMinor: bigint({ mode: 'number' }).notNull().default(0),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.occurredAt] }),
    index().on(t.offerId, t.occurredAt),
    index().on(t.affiliateId, t.occurredAt),
    // BRIN: rows arrive in received order, so a block range index finds recent rows (live feed)
    // for a fraction of a B-tree's cost on the ingest path.
    index().using('brin', t.receivedAt),
    // Reports over every offer read a day's partition by time; BRIN keeps that off the ingest path.
    index().using('brin', t.occurredAt),
  ],
);
export type Click = typeof clicks.$inferSelect;
