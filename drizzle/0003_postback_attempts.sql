CREATE TABLE "postback_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "postback_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"postback_config_id" integer NOT NULL,
	"delivery_id" uuid,
	"kind" text NOT NULL,
	"url" text NOT NULL,
	"method" "http_method" NOT NULL,
	"status_code" integer,
	"latency_ms" integer NOT NULL,
	"body_excerpt" text,
	"error" text,
	"ok" boolean NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "postback_configs" ADD COLUMN "consecutive_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "postback_configs" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "postback_configs" ADD COLUMN "disabled_reason" text;--> statement-breakpoint
ALTER TABLE "postback_attempts" ADD CONSTRAINT "postback_attempts_postback_config_id_postback_configs_id_fk" FOREIGN KEY ("postback_config_id") REFERENCES "public"."postback_configs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "postback_attempts_postback_config_id_attempted_at_index" ON "postback_attempts" USING btree ("postback_config_id","attempted_at");--> statement-breakpoint
CREATE INDEX "postback_attempts_delivery_id_index" ON "postback_attempts" USING btree ("delivery_id");