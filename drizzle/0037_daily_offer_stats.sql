CREATE TABLE "daily_offer_stats" (
	"day" timestamp with time zone NOT NULL,
	"offer_id" integer NOT NULL,
	"affiliate_id" integer NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"unique_clicks" bigint DEFAULT 0 NOT NULL,
	"invalid_clicks" bigint DEFAULT 0 NOT NULL,
	"bot_clicks" bigint DEFAULT 0 NOT NULL,
	"blocked_clicks" bigint DEFAULT 0 NOT NULL,
	"velocity_clicks" bigint DEFAULT 0 NOT NULL,
	"conversions" bigint DEFAULT 0 NOT NULL,
	"approved_conversions" bigint DEFAULT 0 NOT NULL,
	"pending_conversions" bigint DEFAULT 0 NOT NULL,
	"rejected_conversions" bigint DEFAULT 0 NOT NULL,
	"payout_minor" bigint DEFAULT 0 NOT NULL,
	"revenue_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_offer_stats_day_offer_id_affiliate_id_pk" PRIMARY KEY("day","offer_id","affiliate_id")
);
--> statement-breakpoint
-- Writers of hourly_stats wait here until this commits (they lock it before their statement
-- fires a trigger), then run the functions below: none runs the old ones after the backfill's
-- snapshot, so nothing is counted twice or missed.
LOCK TABLE hourly_stats IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
-- Kept by the statement triggers on hourly_stats that keep hourly_offer_stats (0034; decision 036),
-- so every writer of hourly_stats (this version's or an older one's during a rolling upgrade) keeps
-- it in the same statement. After the hourly upsert, the same rows summed by UTC day, offer and
-- affiliate, in key order: a batch locks hourly rows, then daily ones. An update adds the
-- difference; a delete subtracts and leaves the row, as hourly_offer_stats does, so both have rows
-- for the same days.
CREATE OR REPLACE FUNCTION hourly_offer_stats_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- One writer of the coarse rollups at a time, to its commit (7410036, distinct from the other
  -- advisory locks). An upsert fires the insert and the update trigger one after the other, so two
  -- batches could each lock one coarse row in the first and wait for the other's in the second: a
  -- deadlock (seen about once in 1,000 concurrent batches). Taken after the statement's own hourly
  -- rows are locked, it orders every batch the same way; the re-entrant second take is free.
  PERFORM pg_advisory_xact_lock(7410036);
  INSERT INTO hourly_offer_stats AS s (hour, offer_id, affiliate_id, clicks, unique_clicks, invalid_clicks, bot_clicks, blocked_clicks, velocity_clicks, conversions, approved_conversions, pending_conversions, rejected_conversions, payout_minor, revenue_minor)
  SELECT n.hour, n.offer_id, n.affiliate_id, sum(n.clicks), sum(n.unique_clicks), sum(n.invalid_clicks), sum(n.bot_clicks), sum(n.blocked_clicks), sum(n.velocity_clicks), sum(n.conversions), sum(n.approved_conversions), sum(n.pending_conversions), sum(n.rejected_conversions), sum(n.payout_minor), sum(n.revenue_minor)
  FROM hourly_stats_inserted n GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (hour, offer_id, affiliate_id) DO UPDATE SET
      clicks = s.clicks + excluded.clicks,
      unique_clicks = s.unique_clicks + excluded.unique_clicks,
      invalid_clicks = s.invalid_clicks + excluded.invalid_clicks,
      bot_clicks = s.bot_clicks + excluded.bot_clicks,
      blocked_clicks = s.blocked_clicks + excluded.blocked_clicks,
      velocity_clicks = s.velocity_clicks + excluded.velocity_clicks,
      conversions = s.conversions + excluded.conversions,
      approved_conversions = s.approved_conversions + excluded.approved_conversions,
      pending_conversions = s.pending_conversions + excluded.pending_conversions,
      rejected_conversions = s.rejected_conversions + excluded.rejected_conversions,
      payout_minor = s.payout_minor + excluded.payout_minor,
      revenue_minor = s.revenue_minor + excluded.revenue_minor;
  INSERT INTO daily_offer_stats AS s (day, offer_id, affiliate_id, clicks, unique_clicks, invalid_clicks, bot_clicks, blocked_clicks, velocity_clicks, conversions, approved_conversions, pending_conversions, rejected_conversions, payout_minor, revenue_minor)
  SELECT date_trunc('day', n.hour, 'UTC'), n.offer_id, n.affiliate_id, sum(n.clicks), sum(n.unique_clicks), sum(n.invalid_clicks), sum(n.bot_clicks), sum(n.blocked_clicks), sum(n.velocity_clicks), sum(n.conversions), sum(n.approved_conversions), sum(n.pending_conversions), sum(n.rejected_conversions), sum(n.payout_minor), sum(n.revenue_minor)
  FROM hourly_stats_inserted n GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (day, offer_id, affiliate_id) DO UPDATE SET
      clicks = s.clicks + excluded.clicks,
      unique_clicks = s.unique_clicks + excluded.unique_clicks,
      invalid_clicks = s.invalid_clicks + excluded.invalid_clicks,
      bot_clicks = s.bot_clicks + excluded.bot_clicks,
      blocked_clicks = s.blocked_clicks + excluded.blocked_clicks,
      velocity_clicks = s.velocity_clicks + excluded.velocity_clicks,
      conversions = s.conversions + excluded.conversions,
      approved_conversions = s.approved_conversions + excluded.approved_conversions,
      pending_conversions = s.pending_conversions + excluded.pending_conversions,
      rejected_conversions = s.rejected_conversions + excluded.rejected_conversions,
      payout_minor = s.payout_minor + excluded.payout_minor,
      revenue_minor = s.revenue_minor + excluded.revenue_minor;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION hourly_offer_stats_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- One writer of the coarse rollups at a time, to its commit (7410036, distinct from the other
  -- advisory locks). An upsert fires the insert and the update trigger one after the other, so two
  -- batches could each lock one coarse row in the first and wait for the other's in the second: a
  -- deadlock (seen about once in 1,000 concurrent batches). Taken after the statement's own hourly
  -- rows are locked, it orders every batch the same way; the re-entrant second take is free.
  PERFORM pg_advisory_xact_lock(7410036);
  INSERT INTO hourly_offer_stats AS s (hour, offer_id, affiliate_id, clicks, unique_clicks, invalid_clicks, bot_clicks, blocked_clicks, velocity_clicks, conversions, approved_conversions, pending_conversions, rejected_conversions, payout_minor, revenue_minor)
  SELECT n.hour, n.offer_id, n.affiliate_id, sum(n.clicks - o.clicks), sum(n.unique_clicks - o.unique_clicks), sum(n.invalid_clicks - o.invalid_clicks), sum(n.bot_clicks - o.bot_clicks), sum(n.blocked_clicks - o.blocked_clicks), sum(n.velocity_clicks - o.velocity_clicks), sum(n.conversions - o.conversions), sum(n.approved_conversions - o.approved_conversions), sum(n.pending_conversions - o.pending_conversions), sum(n.rejected_conversions - o.rejected_conversions), sum(n.payout_minor - o.payout_minor), sum(n.revenue_minor - o.revenue_minor)
  FROM hourly_stats_new n JOIN hourly_stats_old o USING (hour, offer_id, affiliate_id, sub1, country, device)
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (hour, offer_id, affiliate_id) DO UPDATE SET
      clicks = s.clicks + excluded.clicks,
      unique_clicks = s.unique_clicks + excluded.unique_clicks,
      invalid_clicks = s.invalid_clicks + excluded.invalid_clicks,
      bot_clicks = s.bot_clicks + excluded.bot_clicks,
      blocked_clicks = s.blocked_clicks + excluded.blocked_clicks,
      velocity_clicks = s.velocity_clicks + excluded.velocity_clicks,
      conversions = s.conversions + excluded.conversions,
      approved_conversions = s.approved_conversions + excluded.approved_conversions,
      pending_conversions = s.pending_conversions + excluded.pending_conversions,
      rejected_conversions = s.rejected_conversions + excluded.rejected_conversions,
      payout_minor = s.payout_minor + excluded.payout_minor,
      revenue_minor = s.revenue_minor + excluded.revenue_minor;
  INSERT INTO daily_offer_stats AS s (day, offer_id, affiliate_id, clicks, unique_clicks, invalid_clicks, bot_clicks, blocked_clicks, velocity_clicks, conversions, approved_conversions, pending_conversions, rejected_conversions, payout_minor, revenue_minor)
  SELECT date_trunc('day', n.hour, 'UTC'), n.offer_id, n.affiliate_id, sum(n.clicks - o.clicks), sum(n.unique_clicks - o.unique_clicks), sum(n.invalid_clicks - o.invalid_clicks), sum(n.bot_clicks - o.bot_clicks), sum(n.blocked_clicks - o.blocked_clicks), sum(n.velocity_clicks - o.velocity_clicks), sum(n.conversions - o.conversions), sum(n.approved_conversions - o.approved_conversions), sum(n.pending_conversions - o.pending_conversions), sum(n.rejected_conversions - o.rejected_conversions), sum(n.payout_minor - o.payout_minor), sum(n.revenue_minor - o.revenue_minor)
  FROM hourly_stats_new n JOIN hourly_stats_old o USING (hour, offer_id, affiliate_id, sub1, country, device)
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (day, offer_id, affiliate_id) DO UPDATE SET
      clicks = s.clicks + excluded.clicks,
      unique_clicks = s.unique_clicks + excluded.unique_clicks,
      invalid_clicks = s.invalid_clicks + excluded.invalid_clicks,
      bot_clicks = s.bot_clicks + excluded.bot_clicks,
      blocked_clicks = s.blocked_clicks + excluded.blocked_clicks,
      velocity_clicks = s.velocity_clicks + excluded.velocity_clicks,
      conversions = s.conversions + excluded.conversions,
      approved_conversions = s.approved_conversions + excluded.approved_conversions,
      pending_conversions = s.pending_conversions + excluded.pending_conversions,
      rejected_conversions = s.rejected_conversions + excluded.rejected_conversions,
      payout_minor = s.payout_minor + excluded.payout_minor,
      revenue_minor = s.revenue_minor + excluded.revenue_minor;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION hourly_offer_stats_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- One writer of the coarse rollups at a time, to its commit (7410036, distinct from the other
  -- advisory locks). An upsert fires the insert and the update trigger one after the other, so two
  -- batches could each lock one coarse row in the first and wait for the other's in the second: a
  -- deadlock (seen about once in 1,000 concurrent batches). Taken after the statement's own hourly
  -- rows are locked, it orders every batch the same way; the re-entrant second take is free.
  PERFORM pg_advisory_xact_lock(7410036);
  INSERT INTO hourly_offer_stats AS s (hour, offer_id, affiliate_id, clicks, unique_clicks, invalid_clicks, bot_clicks, blocked_clicks, velocity_clicks, conversions, approved_conversions, pending_conversions, rejected_conversions, payout_minor, revenue_minor)
  SELECT o.hour, o.offer_id, o.affiliate_id, -sum(o.clicks), -sum(o.unique_clicks), -sum(o.invalid_clicks), -sum(o.bot_clicks), -sum(o.blocked_clicks), -sum(o.velocity_clicks), -sum(o.conversions), -sum(o.approved_conversions), -sum(o.pending_conversions), -sum(o.rejected_conversions), -sum(o.payout_minor), -sum(o.revenue_minor)
  FROM hourly_stats_deleted o GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (hour, offer_id, affiliate_id) DO UPDATE SET
      clicks = s.clicks + excluded.clicks,
      unique_clicks = s.unique_clicks + excluded.unique_clicks,
      invalid_clicks = s.invalid_clicks + excluded.invalid_clicks,
      bot_clicks = s.bot_clicks + excluded.bot_clicks,
      blocked_clicks = s.blocked_clicks + excluded.blocked_clicks,
      velocity_clicks = s.velocity_clicks + excluded.velocity_clicks,
      conversions = s.conversions + excluded.conversions,
      approved_conversions = s.approved_conversions + excluded.approved_conversions,
      pending_conversions = s.pending_conversions + excluded.pending_conversions,
      rejected_conversions = s.rejected_conversions + excluded.rejected_conversions,
      payout_minor = s.payout_minor + excluded.payout_minor,
      revenue_minor = s.revenue_minor + excluded.revenue_minor;
  INSERT INTO daily_offer_stats AS s (day, offer_id, affiliate_id, clicks, unique_clicks, invalid_clicks, bot_clicks, blocked_clicks, velocity_clicks, conversions, approved_conversions, pending_conversions, rejected_conversions, payout_minor, revenue_minor)
  SELECT date_trunc('day', o.hour, 'UTC'), o.offer_id, o.affiliate_id, -sum(o.clicks), -sum(o.unique_clicks), -sum(o.invalid_clicks), -sum(o.bot_clicks), -sum(o.blocked_clicks), -sum(o.velocity_clicks), -sum(o.conversions), -sum(o.approved_conversions), -sum(o.pending_conversions), -sum(o.rejected_conversions), -sum(o.payout_minor), -sum(o.revenue_minor)
  FROM hourly_stats_deleted o GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (day, offer_id, affiliate_id) DO UPDATE SET
      clicks = s.clicks + excluded.clicks,
      unique_clicks = s.unique_clicks + excluded.unique_clicks,
      invalid_clicks = s.invalid_clicks + excluded.invalid_clicks,
      bot_clicks = s.bot_clicks + excluded.bot_clicks,
      blocked_clicks = s.blocked_clicks + excluded.blocked_clicks,
      velocity_clicks = s.velocity_clicks + excluded.velocity_clicks,
      conversions = s.conversions + excluded.conversions,
      approved_conversions = s.approved_conversions + excluded.approved_conversions,
      pending_conversions = s.pending_conversions + excluded.pending_conversions,
      rejected_conversions = s.rejected_conversions + excluded.rejected_conversions,
      payout_minor = s.payout_minor + excluded.payout_minor,
      revenue_minor = s.revenue_minor + excluded.revenue_minor;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- What is there already, summed once (0.9 s for 432k hourly rows).
INSERT INTO daily_offer_stats (day, offer_id, affiliate_id, clicks, unique_clicks, invalid_clicks, bot_clicks, blocked_clicks, velocity_clicks, conversions, approved_conversions, pending_conversions, rejected_conversions, payout_minor, revenue_minor)
SELECT date_trunc('day', h.hour, 'UTC'), h.offer_id, h.affiliate_id, sum(h.clicks), sum(h.unique_clicks), sum(h.invalid_clicks), sum(h.bot_clicks), sum(h.blocked_clicks), sum(h.velocity_clicks), sum(h.conversions), sum(h.approved_conversions), sum(h.pending_conversions), sum(h.rejected_conversions), sum(h.payout_minor), sum(h.revenue_minor)
FROM hourly_offer_stats h GROUP BY 1, 2, 3;
