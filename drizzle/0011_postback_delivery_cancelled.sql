ALTER TYPE "public"."postback_delivery_state" ADD VALUE 'cancelled';--> statement-breakpoint
ALTER TABLE "postback_deliveries" ADD COLUMN "cancel_reason" text;