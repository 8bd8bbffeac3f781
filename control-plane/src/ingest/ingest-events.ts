import type { ClickEvent, ConversionEvent, IngestBatch, IngestResult } from '@tas/shared/events';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';

/**
 * Stores a batch of edge events in one statement (one round trip, one transaction): clicks and
 * conversions are unnested from column arrays and inserted with ON CONFLICT DO NOTHING, so a
 * redelivered batch changes nothing. Conversion payout and revenue are computed here from the
 * offer (docs/decisions/003-ingest-in-one-statement.md).
 */
export async function ingestEvents(db: Database, batch: IngestBatch): Promise<IngestResult> {
  const clicks = batch.events.filter((e): e is ClickEvent => e.type === 'click');
  const conversions = batch.events.filter((e): e is ConversionEvent => e.type === 'conversion');
  const col = <T, V>(rows: T[], pick: (row: T) => V) => sql.param(rows.map(pick));

  const [counts] = await queryRows<{ clicks: number | string; conversions: number | string }>(
    db,
    sql`
    WITH inserted_clicks AS (
      INSERT INTO clicks (id, occurred_at, offer_id, affiliate_id, sub1, sub2, sub3, sub4, sub5, source_id,
                          creative_id, landing_page_id, ip, user_agent, country, device, os, referrer,
                          gclid, fbclid, msclkid, ttclid, outcome, reason, fraud_flags, is_unique, source)
      SELECT id, occurred_at, offer_id, affiliate_id, sub1, sub2, sub3, sub4, sub5, source_id,
             creative_id, landing_page_id, ip, user_agent, country, device, os, referrer,
             gclid, fbclid, msclkid, ttclid, outcome, reason, fraud_flags::jsonb, is_unique, source
      FROM unnest(
        ${col(clicks, (c) => c.id)}::text[], ${col(clicks, (c) => c.occurredAt)}::timestamptz[],
        ${col(clicks, (c) => c.offerId)}::int[], ${col(clicks, (c) => c.affiliateId)}::int[],
        ${col(clicks, (c) => c.sub1)}::text[], ${col(clicks, (c) => c.sub2)}::text[],
        ${col(clicks, (c) => c.sub3)}::text[], ${col(clicks, (c) => c.sub4)}::text[],
        ${col(clicks, (c) => c.sub5)}::text[], ${col(clicks, (c) => c.sourceId)}::text[],
        ${col(clicks, (c) => c.creativeId)}::int[], ${col(clicks, (c) => c.landingPageId)}::int[],
        ${col(clicks, (c) => c.ip)}::text[], ${col(clicks, (c) => c.userAgent)}::text[],
        ${col(clicks, (c) => c.country)}::text[], ${col(clicks, (c) => c.device)}::text[],
        ${col(clicks, (c) => c.os)}::text[], ${col(clicks, (c) => c.referrer)}::text[],
        ${col(clicks, (c) => c.gclid)}::text[], ${col(clicks, (c) => c.fbclid)}::text[],
        ${col(clicks, (c) => c.msclkid)}::text[], ${col(clicks, (c) => c.ttclid)}::text[],
        ${col(clicks, (c) => c.outcome)}::text[], ${col(clicks, (c) => c.reason)}::text[],
        ${col(clicks, (c) => JSON.stringify(c.fraudFlags))}::text[], ${col(clicks, (c) => c.unique)}::boolean[],
        ${col(clicks, (c) => c.source)}::text[]
      ) AS e(id, occurred_at, offer_id, affiliate_id, sub1, sub2, sub3, sub4, sub5, source_id,
             creative_id, landing_page_id, ip, user_agent, country, device, os, referrer,
             gclid, fbclid, msclkid, ttclid, outcome, reason, fraud_flags, is_unique, source)
      ON CONFLICT DO NOTHING
      RETURNING 1
    ),
    inserted_conversions AS (
      INSERT INTO conversions (id, click_id, clicked_at, occurred_at, offer_id, affiliate_id, event,
                               amount_minor, currency, txid, status, advertiser_status,
                               payout_minor, revenue_minor, payout_currency, source, fraud_flags, reason,
                               ip, user_agent)
      SELECT e.id, e.click_id, e.clicked_at, e.occurred_at, e.offer_id, e.affiliate_id, e.event,
             e.amount_minor, e.currency, e.txid,
             CASE WHEN e.reason IS NOT NULL THEN 'rejected'
                  ELSE coalesce(e.advertiser_status, 'approved') END::conversion_status,
             e.advertiser_status::conversion_status,
             CASE WHEN o.payout_type = 'revshare'
                  THEN round(coalesce(e.amount_minor, 0) * o.payout_bps / 10000.0)::bigint
                  ELSE coalesce(o.payout_minor, 0) END,
             CASE WHEN o.payout_type = 'revshare'
                  THEN round(coalesce(e.amount_minor, 0) * o.revenue_bps / 10000.0)::bigint
                  ELSE coalesce(o.revenue_minor, 0) END,
             coalesce(o.currency, e.currency, 'USD'), e.source, e.fraud_flags::jsonb, e.reason, e.ip, e.user_agent
      FROM unnest(
        ${col(conversions, (c) => c.id)}::uuid[], ${col(conversions, (c) => c.clickId)}::text[],
        ${col(conversions, (c) => c.clickedAt)}::timestamptz[], ${col(conversions, (c) => c.occurredAt)}::timestamptz[],
        ${col(conversions, (c) => c.offerId)}::int[], ${col(conversions, (c) => c.affiliateId)}::int[],
        ${col(conversions, (c) => c.event)}::text[], ${col(conversions, (c) => c.amountMinor)}::bigint[],
        ${col(conversions, (c) => c.currency)}::text[], ${col(conversions, (c) => c.txid)}::text[],
        ${col(conversions, (c) => c.advertiserStatus)}::text[], ${col(conversions, (c) => c.source)}::text[],
        ${col(conversions, (c) => JSON.stringify(c.fraudFlags))}::text[], ${col(conversions, (c) => c.reason)}::text[],
        ${col(conversions, (c) => c.ip)}::text[], ${col(conversions, (c) => c.userAgent)}::text[]
      ) AS e(id, click_id, clicked_at, occurred_at, offer_id, affiliate_id, event, amount_minor, currency,
             txid, advertiser_status, source, fraud_flags, reason, ip, user_agent)
      LEFT JOIN offers o ON o.id = e.offer_id
      ON CONFLICT DO NOTHING
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM inserted_clicks) AS clicks,
           (SELECT count(*) FROM inserted_conversions) AS conversions`,
  );
  return {
    received: batch.events.length,
    clicksInserted: Number(counts?.clicks ?? 0),
    conversionsInserted: Number(counts?.conversions ?? 0),
  };
}
