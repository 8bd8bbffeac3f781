CREATE TYPE "public"."invoice_status" AS ENUM('draft', 'open', 'paid', 'void', 'uncollectible');--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"advertiser_id" integer NOT NULL,
	"currency" char(3) NOT NULL,
	"period" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"key" text NOT NULL,
	"charges_minor" bigint NOT NULL,
	"amount_minor" bigint NOT NULL,
	"lines" jsonb NOT NULL,
	"days_until_due" integer NOT NULL,
	"status" "invoice_status" DEFAULT 'draft' NOT NULL,
	"stripe_customer_id" text,
	"stripe_key" text NOT NULL,
	"stripe_key_since" timestamp with time zone,
	"stripe_invoice_id" text,
	"stripe_invoice_number" text,
	"hosted_invoice_url" text,
	"due_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"failure" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_amount_positive" CHECK ("invoices"."amount_minor" > 0),
	CONSTRAINT "invoices_period_ordered" CHECK ("invoices"."period_start" < "invoices"."period_end")
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_advertiser_id_advertisers_id_fk" FOREIGN KEY ("advertiser_id") REFERENCES "public"."advertisers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_key_index" ON "invoices" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_stripe_invoice_id_index" ON "invoices" USING btree ("stripe_invoice_id");--> statement-breakpoint
CREATE INDEX "invoices_advertiser_id_currency_period_end_index" ON "invoices" USING btree ("advertiser_id","currency","period_end");--> statement-breakpoint
CREATE INDEX "invoices_advertiser_id_id_index" ON "invoices" USING btree ("advertiser_id","id");--> statement-breakpoint
CREATE INDEX "invoices_status_index" ON "invoices" USING btree ("status");