CREATE TYPE "public"."funds_state" AS ENUM('available', 'low', 'exhausted');--> statement-breakpoint
CREATE TABLE "advertiser_funds" (
	"advertiser_id" integer NOT NULL,
	"currency" char(3) NOT NULL,
	"state" "funds_state" NOT NULL,
	"noticed" "funds_state",
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "advertiser_funds_advertiser_id_currency_pk" PRIMARY KEY("advertiser_id","currency")
);
--> statement-breakpoint
ALTER TABLE "advertiser_funds" ADD CONSTRAINT "advertiser_funds_advertiser_id_advertisers_id_fk" FOREIGN KEY ("advertiser_id") REFERENCES "public"."advertisers"("id") ON DELETE no action ON UPDATE no action;