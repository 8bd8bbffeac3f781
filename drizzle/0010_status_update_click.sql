-- Rows stored before this column (none outside development) get '' and never match a click.
ALTER TABLE "conversion_status_updates" ADD COLUMN "click_id" text NOT NULL DEFAULT '';--> statement-breakpoint
ALTER TABLE "conversion_status_updates" ALTER COLUMN "click_id" DROP DEFAULT;
