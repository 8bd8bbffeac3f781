-- Decision 032: clicks become a table partitioned by range of occurred_at, a partition a UTC day.
-- The existing table is not copied: it becomes the first partition, covering everything before a
-- bound, so no row moves and existing installs keep running. What costs time on a large table (the
-- (id, occurred_at) unique index, the BRIN index, proving the bound) is skipped here when
-- `scripts/prepare-click-partitions.ts` already built it without blocking (CONCURRENTLY, NOT VALID +
-- VALIDATE); otherwise it is built here, holding writes for as long as the build takes. Day
-- partitions after the bound are created by the control plane itself (src/partitions/).
DO $$
DECLARE
  bound timestamptz;
  bound_def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO bound_def FROM pg_constraint
   WHERE conrelid = 'clicks'::regclass AND conname = 'clicks_legacy_bound';
  IF bound_def IS NULL THEN
    bound := date_trunc('day', now(), 'UTC') + interval '1 day';
    EXECUTE format('ALTER TABLE clicks ADD CONSTRAINT clicks_legacy_bound CHECK (occurred_at < %L::timestamptz)', bound);
  ELSE
    bound := substring(bound_def from '''([^'']+)''')::timestamptz;
  END IF;
  CREATE UNIQUE INDEX IF NOT EXISTS clicks_legacy_id_occurred_at ON clicks USING btree (id, occurred_at);
  CREATE INDEX IF NOT EXISTS clicks_legacy_occurred_at_brin ON clicks USING brin (occurred_at);
  ALTER TABLE clicks DROP CONSTRAINT clicks_pkey;
  ALTER TABLE clicks ADD CONSTRAINT clicks_legacy_pk PRIMARY KEY USING INDEX clicks_legacy_id_occurred_at;
  ALTER INDEX clicks_offer_id_occurred_at_index RENAME TO clicks_legacy_offer_id_occurred_at_index;
  ALTER INDEX clicks_affiliate_id_occurred_at_index RENAME TO clicks_legacy_affiliate_id_occurred_at_index;
  ALTER INDEX clicks_received_at_index RENAME TO clicks_legacy_received_at_index;
  ALTER TABLE clicks RENAME TO clicks_legacy;

  CREATE TABLE clicks (LIKE clicks_legacy INCLUDING DEFAULTS) PARTITION BY RANGE (occurred_at);
  ALTER TABLE clicks ADD CONSTRAINT clicks_id_occurred_at_pk PRIMARY KEY (id, occurred_at);
  CREATE INDEX clicks_offer_id_occurred_at_index ON clicks USING btree (offer_id, occurred_at);
  CREATE INDEX clicks_affiliate_id_occurred_at_index ON clicks USING btree (affiliate_id, occurred_at);
  CREATE INDEX clicks_received_at_index ON clicks USING brin (received_at);
  CREATE INDEX clicks_occurred_at_index ON clicks USING brin (occurred_at);
  -- The bound's CHECK proves the partition constraint, so attaching scans nothing; the existing
  -- indexes match the parent's and are attached, not rebuilt.
  EXECUTE format('ALTER TABLE clicks ATTACH PARTITION clicks_legacy FOR VALUES FROM (MINVALUE) TO (%L)', bound);
  ALTER TABLE clicks_legacy DROP CONSTRAINT clicks_legacy_bound;
END $$;
