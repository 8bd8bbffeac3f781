CREATE TABLE "processor_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "processor_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"processor" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"object_id" text,
	"occurred_at" timestamp with time zone,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"failures" integer DEFAULT 0 NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "processor_events_processor_event_id_index" ON "processor_events" USING btree ("processor","event_id");--> statement-breakpoint
CREATE INDEX "processor_events_processor_object_id_index" ON "processor_events" USING btree ("processor","object_id");--> statement-breakpoint
CREATE INDEX "processor_events_unprocessed_idx" ON "processor_events" USING btree ("received_at") WHERE processed_at IS NULL;