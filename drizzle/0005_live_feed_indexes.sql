CREATE INDEX "clicks_received_at_index" ON "clicks" USING brin ("received_at");--> statement-breakpoint
CREATE INDEX "conversions_received_at_index" ON "conversions" USING brin ("received_at");