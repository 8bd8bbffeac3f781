CREATE TYPE "public"."rotation_arm_kind" AS ENUM('landing_page', 'creative');--> statement-breakpoint
CREATE TYPE "public"."rotation_mode" AS ENUM('manual', 'bandit');--> statement-breakpoint
CREATE TABLE "offer_rotation_settings" (
	"offer_id" integer PRIMARY KEY NOT NULL,
	"mode" "rotation_mode" DEFAULT 'manual' NOT NULL,
	"exploration_bps" integer DEFAULT 1000 NOT NULL,
	"decay_window_days" integer DEFAULT 14 NOT NULL,
	"min_clicks" integer DEFAULT 500 NOT NULL,
	"interval_minutes" integer DEFAULT 60 NOT NULL,
	"computed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rotation_weight_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rotation_weight_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" uuid NOT NULL,
	"offer_id" integer NOT NULL,
	"arm_kind" "rotation_arm_kind" NOT NULL,
	"arm_id" integer NOT NULL,
	"group" text NOT NULL,
	"old_weight" integer NOT NULL,
	"new_weight" integer NOT NULL,
	"old_share_bps" integer NOT NULL,
	"new_share_bps" integer NOT NULL,
	"clicks" integer NOT NULL,
	"conversions" integer NOT NULL,
	"probability_best" double precision NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rotation_weights" (
	"offer_id" integer NOT NULL,
	"arm_kind" "rotation_arm_kind" NOT NULL,
	"arm_id" integer NOT NULL,
	"group" text NOT NULL,
	"weight" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rotation_weights_offer_id_arm_kind_arm_id_pk" PRIMARY KEY("offer_id","arm_kind","arm_id")
);
--> statement-breakpoint
ALTER TABLE "offer_rotation_settings" ADD CONSTRAINT "offer_rotation_settings_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rotation_weight_changes" ADD CONSTRAINT "rotation_weight_changes_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rotation_weights" ADD CONSTRAINT "rotation_weights_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rotation_weight_changes_offer_id_id_index" ON "rotation_weight_changes" USING btree ("offer_id","id");