CREATE TABLE "conversion_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "conversion_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"conversion_id" uuid NOT NULL,
	"action" text NOT NULL,
	"before" jsonb NOT NULL,
	"after" jsonb NOT NULL,
	"reason" text,
	"user_id" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hourly_stats" (
	"hour" timestamp with time zone NOT NULL,
	"offer_id" integer NOT NULL,
	"affiliate_id" integer NOT NULL,
	"sub1" text NOT NULL,
	"country" text NOT NULL,
	"device" text NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"unique_clicks" bigint DEFAULT 0 NOT NULL,
	"conversions" bigint DEFAULT 0 NOT NULL,
	"payout_minor" bigint DEFAULT 0 NOT NULL,
	"revenue_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "hourly_stats_hour_offer_id_affiliate_id_sub1_country_device_pk" PRIMARY KEY("hour","offer_id","affiliate_id","sub1","country","device")
);
--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub1" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub2" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub3" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub4" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub5" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "source_id" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "creative_id" integer;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "device" text;--> statement-breakpoint
CREATE INDEX "conversion_changes_conversion_id_index" ON "conversion_changes" USING btree ("conversion_id");--> statement-breakpoint
CREATE INDEX "conversions_txid_index" ON "conversions" USING btree ("txid");--> statement-breakpoint
-- Hand-written: conversions stored before this migration get the dimensions of their click, and
-- the rollup starts from everything already stored (the ingest keeps it up to date from now on).
UPDATE "conversions" v SET "sub1" = c."sub1", "sub2" = c."sub2", "sub3" = c."sub3", "sub4" = c."sub4", "sub5" = c."sub5",
  "source_id" = c."source_id", "creative_id" = c."creative_id", "country" = c."country", "device" = c."device"
FROM "clicks" c WHERE c."id" = v."click_id";--> statement-breakpoint
INSERT INTO "hourly_stats" ("hour", "offer_id", "affiliate_id", "sub1", "country", "device", "clicks", "unique_clicks", "conversions", "payout_minor", "revenue_minor")
SELECT "hour", "offer_id", "affiliate_id", "sub1", "country", "device", sum("clicks"), sum("unique_clicks"), sum("conversions"), sum("payout_minor"), sum("revenue_minor")
FROM (
  SELECT date_trunc('hour', "occurred_at", 'UTC') AS "hour", "offer_id", "affiliate_id", coalesce("sub1", '') AS "sub1",
         coalesce("country", '') AS "country", coalesce("device", '') AS "device",
         1 AS "clicks", CASE WHEN "is_unique" THEN 1 ELSE 0 END AS "unique_clicks", 0 AS "conversions", 0 AS "payout_minor", 0 AS "revenue_minor"
  FROM "clicks"
  UNION ALL
  SELECT date_trunc('hour', "occurred_at", 'UTC'), "offer_id", "affiliate_id", coalesce("sub1", ''), coalesce("country", ''), coalesce("device", ''),
         0, 0, 1, "payout_minor", "revenue_minor"
  FROM "conversions" WHERE "status" <> 'rejected'
) x
GROUP BY 1, 2, 3, 4, 5, 6;
