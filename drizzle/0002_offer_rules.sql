CREATE TABLE "offer_landing_pages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "offer_landing_pages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"offer_id" integer NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offer_payout_rules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "offer_payout_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"offer_id" integer NOT NULL,
	"affiliate_id" integer,
	"payout_type" "payout_type" NOT NULL,
	"payout_minor" bigint DEFAULT 0 NOT NULL,
	"payout_bps" integer DEFAULT 0 NOT NULL,
	"revenue_minor" bigint DEFAULT 0 NOT NULL,
	"revenue_bps" integer DEFAULT 0 NOT NULL,
	"effective_from" timestamp with time zone DEFAULT now() NOT NULL,
	"effective_to" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "network_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"blocked_ips" text[] DEFAULT '{}' NOT NULL,
	"blocked_user_agents" text[] DEFAULT '{}' NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "postback_ip_allowlist" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "targeting" jsonb DEFAULT '{"countries":[],"devices":[],"operatingSystems":[]}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "deep_links" jsonb DEFAULT '{"allowed":false,"hosts":[]}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "caps" jsonb DEFAULT '{"offer":{"dailyClicks":null,"monthlyClicks":null,"dailyConversions":null,"monthlyConversions":null},"perAffiliate":{"dailyClicks":null,"monthlyClicks":null,"dailyConversions":null,"monthlyConversions":null},"affiliateOverrides":[]}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "fraud_rules" jsonb DEFAULT '{"duplicateClickWindowSeconds":0,"maxClicksPerIpPerMinute":null,"action":"flag","minSecondsToConvert":null,"maxSecondsToConvert":null,"blockedIps":[],"blockedUserAgents":[]}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "offer_landing_pages" ADD CONSTRAINT "offer_landing_pages_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_payout_rules" ADD CONSTRAINT "offer_payout_rules_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_payout_rules" ADD CONSTRAINT "offer_payout_rules_affiliate_id_affiliates_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."affiliates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "offer_landing_pages_offer_id_index" ON "offer_landing_pages" USING btree ("offer_id");--> statement-breakpoint
CREATE INDEX "offer_payout_rules_offer_id_affiliate_id_effective_from_index" ON "offer_payout_rules" USING btree ("offer_id","affiliate_id","effective_from");--> statement-breakpoint
-- Hand-written: offers created before payout versions get their current rules as the first version.
INSERT INTO "offer_payout_rules" ("offer_id", "payout_type", "payout_minor", "payout_bps", "revenue_minor", "revenue_bps", "effective_from")
SELECT "id", "payout_type", "payout_minor", "payout_bps", "revenue_minor", "revenue_bps", "created_at" FROM "offers";--> statement-breakpoint
ALTER TABLE "network_settings" ADD CONSTRAINT "network_settings_single_row" CHECK ("id");--> statement-breakpoint
INSERT INTO "network_settings" DEFAULT VALUES;
