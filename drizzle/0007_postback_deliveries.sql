CREATE TYPE "public"."postback_delivery_state" AS ENUM('pending', 'delivered', 'failed', 'disabled');--> statement-breakpoint
CREATE TABLE "postback_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversion_id" uuid NOT NULL,
	"postback_config_id" integer NOT NULL,
	"affiliate_id" integer NOT NULL,
	"trigger" "postback_trigger" NOT NULL,
	"state" "postback_delivery_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "postback_deliveries" ADD CONSTRAINT "postback_deliveries_postback_config_id_postback_configs_id_fk" FOREIGN KEY ("postback_config_id") REFERENCES "public"."postback_configs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "postback_deliveries_conversion_id_postback_config_id_trigger_index" ON "postback_deliveries" USING btree ("conversion_id","postback_config_id","trigger");--> statement-breakpoint
CREATE INDEX "postback_deliveries_state_next_attempt_at_index" ON "postback_deliveries" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "postback_deliveries_affiliate_id_created_at_index" ON "postback_deliveries" USING btree ("affiliate_id","created_at");