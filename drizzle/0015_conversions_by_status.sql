ALTER TABLE "hourly_stats" ADD COLUMN "approved_conversions" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "hourly_stats" ADD COLUMN "pending_conversions" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "hourly_stats" ADD COLUMN "rejected_conversions" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Conversions stored before these columns existed, by status, in the hour and key they were rolled up
-- in (rejected ones had no rollup row: one is made for them, with nothing else in it).
INSERT INTO "hourly_stats" AS h ("hour", "offer_id", "affiliate_id", "sub1", "country", "device",
                                 "approved_conversions", "pending_conversions", "rejected_conversions")
SELECT date_trunc('hour', occurred_at, 'UTC'), offer_id, affiliate_id, coalesce(sub1, ''), coalesce(country, ''),
       coalesce(device, ''), count(*) FILTER (WHERE status = 'approved'), count(*) FILTER (WHERE status = 'pending'),
       count(*) FILTER (WHERE status = 'rejected')
FROM "conversions"
GROUP BY 1, 2, 3, 4, 5, 6
ORDER BY 1, 2, 3, 4, 5, 6
ON CONFLICT ("hour", "offer_id", "affiliate_id", "sub1", "country", "device") DO UPDATE SET
  "approved_conversions" = excluded."approved_conversions",
  "pending_conversions" = excluded."pending_conversions",
  "rejected_conversions" = excluded."rejected_conversions";
