ALTER TABLE "clicks" ADD COLUMN "payout_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "clicks" ADD COLUMN "revenue_minor" bigint DEFAULT 0 NOT NULL;