CREATE TYPE "public"."billing_mode" AS ENUM('prepaid', 'postpaid');--> statement-breakpoint
CREATE TYPE "public"."invoice_period" AS ENUM('weekly', 'monthly');--> statement-breakpoint
CREATE TABLE "advertiser_billing_settings" (
	"advertiser_id" integer PRIMARY KEY NOT NULL,
	"mode" "billing_mode" DEFAULT 'postpaid' NOT NULL,
	"credit_limit_by_currency" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"low_balance_by_currency" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"invoice_period" "invoice_period" DEFAULT 'monthly' NOT NULL,
	"net_terms_days" integer DEFAULT 30 NOT NULL,
	"stripe_customer_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "advertiser_billing_settings" ADD CONSTRAINT "advertiser_billing_settings_advertiser_id_advertisers_id_fk" FOREIGN KEY ("advertiser_id") REFERENCES "public"."advertisers"("id") ON DELETE no action ON UPDATE no action;