CREATE TABLE "ingest_quarantine" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ingest_quarantine_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_id" text,
	"event_type" text,
	"reason_code" text NOT NULL,
	"reason" text NOT NULL,
	"body" text NOT NULL,
	"body_sha256" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replayed_at" timestamp with time zone,
	CONSTRAINT "ingest_quarantine_bodySha256_unique" UNIQUE("body_sha256")
);
--> statement-breakpoint
DROP INDEX "conversions_offer_id_event_txid_index";--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sent_amount_minor" bigint;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sent_currency" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "exchange_rate" text;--> statement-breakpoint
ALTER TABLE "hourly_stats" ADD COLUMN "invalid_clicks" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "hourly_stats" ADD COLUMN "bot_clicks" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "hourly_stats" ADD COLUMN "blocked_clicks" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "hourly_stats" ADD COLUMN "velocity_clicks" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "network_settings" ADD COLUMN "exchange_rates" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "conversion_sources" text;--> statement-breakpoint
CREATE INDEX "ingest_quarantine_received_at_index" ON "ingest_quarantine" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "conversions_offer_id_event_txid_click_id_index" ON "conversions" USING btree ("offer_id","event","txid","click_id");--> statement-breakpoint
-- Clicks flagged before these columns existed count as invalid in their hour (bots were not recorded then).
UPDATE "hourly_stats" AS h SET
  "invalid_clicks" = x.invalid, "blocked_clicks" = x.blocked, "velocity_clicks" = x.velocity
FROM (
  SELECT date_trunc('hour', occurred_at, 'UTC') AS hour, offer_id, affiliate_id, coalesce(sub1, '') AS sub1,
         coalesce(country, '') AS country, coalesce(device, '') AS device,
         count(*) FILTER (WHERE fraud_flags ?| array['bot', 'duplicate_click', 'blocked_ip', 'blocked_user_agent', 'ip_velocity']
                                OR NOT is_unique) AS invalid,
         count(*) FILTER (WHERE fraud_flags ?| array['blocked_ip', 'blocked_user_agent']) AS blocked,
         count(*) FILTER (WHERE fraud_flags ? 'ip_velocity') AS velocity
  FROM "clicks"
  WHERE fraud_flags <> '[]'::jsonb OR NOT is_unique
  GROUP BY 1, 2, 3, 4, 5, 6
) AS x
WHERE h.hour = x.hour AND h.offer_id = x.offer_id AND h.affiliate_id = x.affiliate_id
  AND h.sub1 = x.sub1 AND h.country = x.country AND h.device = x.device;
