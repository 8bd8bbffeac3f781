CREATE TABLE "ingest_minutes" (
	"minute" timestamp with time zone NOT NULL,
	"shard" smallint NOT NULL,
	"lag_bucket" smallint NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"conversions" bigint DEFAULT 0 NOT NULL,
	"max_lag_seconds" double precision NOT NULL,
	"last_received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ingest_minutes_minute_shard_lag_bucket_pk" PRIMARY KEY("minute","shard","lag_bucket")
);
--> statement-breakpoint
-- The last hour of events, so the system view of an existing install is not empty at first.
INSERT INTO "ingest_minutes" ("minute", "shard", "lag_bucket", "clicks", "conversions", "max_lag_seconds", "last_received_at")
SELECT date_trunc('minute', received_at, 'UTC'), 0,
       width_bucket(lag, ARRAY[0.5, 1, 2, 3, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600, 21600, 86400]::float8[]),
       count(*) FILTER (WHERE kind = 'click'), count(*) FILTER (WHERE kind = 'conversion'), max(lag), max(received_at)
FROM (
  SELECT 'click' AS kind, received_at, extract(epoch FROM received_at - occurred_at)::float8 AS lag
    FROM clicks WHERE received_at >= now() - interval '1 hour'
  UNION ALL
  SELECT 'conversion', received_at, extract(epoch FROM received_at - occurred_at)::float8
    FROM conversions WHERE received_at >= now() - interval '1 hour'
) AS recent
GROUP BY 1, 3;
