CREATE TYPE "public"."ad_delivery_state" AS ENUM('pending', 'sent', 'rejected', 'failed', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."ad_destination_status" AS ENUM('active', 'paused', 'archived');--> statement-breakpoint
CREATE TYPE "public"."ad_platform" AS ENUM('meta', 'google', 'tiktok', 'microsoft');--> statement-breakpoint
CREATE TABLE "ad_conversion_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"destination_id" uuid NOT NULL,
	"conversion_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"state" "ad_delivery_state" DEFAULT 'pending' NOT NULL,
	"skip_reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_http_status" integer,
	"last_response" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ad_conversion_destinations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"advertiser_id" integer NOT NULL,
	"offer_id" integer,
	"connection_id" uuid NOT NULL,
	"platform" "ad_platform" NOT NULL,
	"name" text NOT NULL,
	"settings" jsonb NOT NULL,
	"send_on" text DEFAULT 'approved' NOT NULL,
	"consent_policy" text DEFAULT 'unless_denied' NOT NULL,
	"test_event_code" text,
	"status" "ad_destination_status" DEFAULT 'active' NOT NULL,
	"paused_reason" text,
	"paused_at" timestamp with time zone,
	"auth_failures" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ad_platform_connections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"advertiser_id" integer NOT NULL,
	"platform" "ad_platform" NOT NULL,
	"label" text NOT NULL,
	"account_id" text,
	"login_account_id" text,
	"credentials" text NOT NULL,
	"access_token_expires_at" timestamp with time zone,
	"source" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"spend_synced_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ad_platform_campaigns" (
	"connection_id" uuid NOT NULL,
	"platform_campaign_id" text NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"offer_id" integer,
	"campaign_id" integer,
	"pause_on_budget_stop" boolean DEFAULT false NOT NULL,
	"paused_by_budget_stop" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_platform_campaigns_connection_id_platform_campaign_id_pk" PRIMARY KEY("connection_id","platform_campaign_id")
);
--> statement-breakpoint
CREATE TABLE "ad_spend_days" (
	"connection_id" uuid NOT NULL,
	"platform_campaign_id" text NOT NULL,
	"day" date NOT NULL,
	"currency" text NOT NULL,
	"cost_minor" bigint NOT NULL,
	"impressions" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_spend_days_connection_id_platform_campaign_id_day_pk" PRIMARY KEY("connection_id","platform_campaign_id","day")
);
--> statement-breakpoint
ALTER TABLE "clicks" ADD COLUMN "gbraid" text;--> statement-breakpoint
ALTER TABLE "clicks" ADD COLUMN "wbraid" text;--> statement-breakpoint
ALTER TABLE "clicks" ADD COLUMN "consent" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "customer_hashes" jsonb;--> statement-breakpoint
ALTER TABLE "ad_conversion_deliveries" ADD CONSTRAINT "ad_conversion_deliveries_destination_id_ad_conversion_destinations_id_fk" FOREIGN KEY ("destination_id") REFERENCES "public"."ad_conversion_destinations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_conversion_destinations" ADD CONSTRAINT "ad_conversion_destinations_advertiser_id_advertisers_id_fk" FOREIGN KEY ("advertiser_id") REFERENCES "public"."advertisers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_conversion_destinations" ADD CONSTRAINT "ad_conversion_destinations_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_conversion_destinations" ADD CONSTRAINT "ad_conversion_destinations_connection_id_ad_platform_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."ad_platform_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_platform_connections" ADD CONSTRAINT "ad_platform_connections_advertiser_id_advertisers_id_fk" FOREIGN KEY ("advertiser_id") REFERENCES "public"."advertisers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_platform_connections" ADD CONSTRAINT "ad_platform_connections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_platform_campaigns" ADD CONSTRAINT "ad_platform_campaigns_connection_id_ad_platform_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."ad_platform_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_platform_campaigns" ADD CONSTRAINT "ad_platform_campaigns_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_platform_campaigns" ADD CONSTRAINT "ad_platform_campaigns_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_spend_days" ADD CONSTRAINT "ad_spend_days_connection_id_ad_platform_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."ad_platform_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ad_conversion_deliveries_destination_id_conversion_id_kind_index" ON "ad_conversion_deliveries" USING btree ("destination_id","conversion_id","kind");--> statement-breakpoint
CREATE INDEX "ad_conversion_deliveries_state_next_attempt_at_index" ON "ad_conversion_deliveries" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "ad_conversion_deliveries_conversion_id_index" ON "ad_conversion_deliveries" USING btree ("conversion_id");--> statement-breakpoint
CREATE INDEX "ad_conversion_deliveries_destination_id_created_at_index" ON "ad_conversion_deliveries" USING btree ("destination_id","created_at");--> statement-breakpoint
CREATE INDEX "ad_conversion_destinations_advertiser_id_index" ON "ad_conversion_destinations" USING btree ("advertiser_id");--> statement-breakpoint
CREATE INDEX "ad_conversion_destinations_connection_id_index" ON "ad_conversion_destinations" USING btree ("connection_id");--> statement-breakpoint
CREATE INDEX "ad_platform_connections_advertiser_id_index" ON "ad_platform_connections" USING btree ("advertiser_id");--> statement-breakpoint
CREATE INDEX "ad_platform_campaigns_offer_id_index" ON "ad_platform_campaigns" USING btree ("offer_id");--> statement-breakpoint
CREATE INDEX "ad_spend_days_day_index" ON "ad_spend_days" USING btree ("day");