import { bigint, doublePrecision, pgTable, primaryKey, smallint, timestamp } from 'drizzle-orm/pg-core';

/**
 * Upper bounds, in seconds, of the lag buckets of `ingest_minutes`: bucket i holds events whose
 * lag (stored minus happened) is below LAG_BUCKET_BOUNDS_SECONDS[i] and at least the bound
 * before it (bucket 0: under the first bound, clock skew included; the last bucket: a day or
 * more). Postgres' `width_bucket(lag, bounds)` gives the same index. Changing them needs a
 * migration that empties the table.
 */
export const LAG_BUCKET_BOUNDS_SECONDS = [
  0.5,
  1,
  2,
  3,
  5,
  10,
  15,
  30,
  60,
  120,
  300,
  600,
  1800,
  3600,
  6 * 3600,
  24 * 3600,
] as const;

/**
 * What the ingest stored, per minute (of the storing transaction, UTC) and lag bucket: counts of
 * clicks and conversions inserted (redeliveries and quarantined events not counted) and the
 * largest lag seen. Kept by the ingest statement itself, so the system view reads a few rows
 * instead of counting every recent click (2 s with a million in the window). Each database
 * connection writes its own `shard` (its backend pid modulo 16), so concurrent batches do not
 * queue on one hot row. Rows older than a week are pruned (system/ingest-minutes-pruner.ts).
 */
export const ingestMinutes = pgTable(
  'ingest_minutes',
  {
    minute: timestamp({ withTimezone: true }).notNull(),
    shard: smallint().notNull(),
    lagBucket: smallint().notNull(),
    clicks: bigint({ mode: 'number' }).notNull().default(0),
    conversions: bigint({ mode: 'number' }).notNull().default(0),
    maxLagSeconds: doublePrecision().notNull(),
    lastReceivedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.minute, t.shard, t.lagBucket] })],
);
