ALTER TABLE "clicks" ADD COLUMN "gdpr" boolean;--> statement-breakpoint
ALTER TABLE "clicks" ADD COLUMN "gdpr_consent" text;--> statement-breakpoint
ALTER TABLE "clicks" ADD COLUMN "ad_user_data" text;--> statement-breakpoint
ALTER TABLE "clicks" ADD COLUMN "ad_personalization" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "consent" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "gdpr" boolean;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "gdpr_consent" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "ad_user_data" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "ad_personalization" text;--> statement-breakpoint
ALTER TABLE "network_settings" ADD COLUMN "privacy" jsonb DEFAULT '{"ipMode":"full","userAgentMode":"full","consentRequired":false,"forwardEuVisitors":false}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "privacy" jsonb DEFAULT '{}'::jsonb NOT NULL;