-- Decision 020: an affiliate's payout override ends when the offer's payout type changes. Overrides
-- set before that rule which outlived a type change (and paid 0, or the wrong unit, since) end at
-- the change: the first default version of another type after they started.
UPDATE "offer_payout_rules" AS o
SET "effective_to" = c."changed_at"
FROM (
  SELECT x."id", min(d."effective_from") AS "changed_at"
  FROM "offer_payout_rules" x
  JOIN "offer_payout_rules" d
    ON d."offer_id" = x."offer_id" AND d."affiliate_id" IS NULL
   AND d."payout_type" <> x."payout_type" AND d."effective_from" > x."effective_from"
  WHERE x."affiliate_id" IS NOT NULL
  GROUP BY x."id"
) AS c
WHERE o."id" = c."id" AND (o."effective_to" IS NULL OR o."effective_to" > c."changed_at");
