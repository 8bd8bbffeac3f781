CREATE TYPE "public"."payout_method" AS ENUM('stripe_connect', 'paypal', 'bank_transfer');--> statement-breakpoint
CREATE TYPE "public"."payout_run_status" AS ENUM('running', 'interrupted', 'completed');--> statement-breakpoint
CREATE TYPE "public"."payout_schedule" AS ENUM('weekly', 'monthly');--> statement-breakpoint
CREATE TYPE "public"."payout_status" AS ENUM('pending', 'sent', 'paid', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "affiliate_payout_settings" (
	"affiliate_id" integer PRIMARY KEY NOT NULL,
	"method" "payout_method",
	"stripe_account_id" text,
	"stripe_payouts_enabled" boolean DEFAULT false NOT NULL,
	"paypal_receiver_encrypted" text,
	"schedule" "payout_schedule",
	"minimum_minor" bigint,
	"hold_days" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payout_network_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"automatic" boolean DEFAULT false NOT NULL,
	"schedule" "payout_schedule" DEFAULT 'monthly' NOT NULL,
	"weekly_day" integer DEFAULT 1 NOT NULL,
	"monthly_day" integer DEFAULT 1 NOT NULL,
	"default_minimum_minor" bigint DEFAULT 5000 NOT NULL,
	"minimum_by_currency" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"hold_days" integer DEFAULT 30 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payout_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"started_by" uuid,
	"period_key" text,
	"schedule" "payout_schedule",
	"cutoff" timestamp with time zone NOT NULL,
	"status" "payout_run_status" DEFAULT 'running' NOT NULL,
	"paypal_batch_id" text,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"affiliate_id" integer NOT NULL,
	"currency" char(3) NOT NULL,
	"amount_minor" bigint NOT NULL,
	"method" "payout_method" NOT NULL,
	"status" "payout_status" DEFAULT 'pending' NOT NULL,
	"covers_until" timestamp with time zone NOT NULL,
	"posted_at" timestamp with time zone,
	"processor_reference" text,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payouts_amount_positive" CHECK ("payouts"."amount_minor" >= 0)
);
--> statement-breakpoint
ALTER TABLE "affiliate_payout_settings" ADD CONSTRAINT "affiliate_payout_settings_affiliate_id_affiliates_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."affiliates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_runs" ADD CONSTRAINT "payout_runs_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_run_id_payout_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."payout_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_affiliate_id_affiliates_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."affiliates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payout_runs_period_key_index" ON "payout_runs" USING btree ("period_key");--> statement-breakpoint
CREATE UNIQUE INDEX "payouts_run_id_affiliate_id_currency_index" ON "payouts" USING btree ("run_id","affiliate_id","currency");--> statement-breakpoint
CREATE INDEX "payouts_affiliate_id_id_index" ON "payouts" USING btree ("affiliate_id","id");--> statement-breakpoint
CREATE INDEX "payouts_status_index" ON "payouts" USING btree ("status");