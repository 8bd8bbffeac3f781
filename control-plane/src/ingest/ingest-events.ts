import { claimChangeIdFor } from '@tas/shared/conversion-id';
import type { ClickEvent, ConversionEvent, ConversionStatusEvent, IngestBatch } from '@tas/shared/events';
import { INVALID_CLICK_FLAGS, REVIEW_CONVERSION_FLAGS } from '@tas/shared/fraud-rules';
import { sql } from 'drizzle-orm';
import { storeStatusUpdates } from '../conversions/advertiser-status-updates.ts';
import { type Database, queryRows } from '../db/database.ts';
import { LAG_BUCKET_BOUNDS_SECONDS } from '../db/schema/ingest-minutes.ts';
import { ensureConversionAccounts } from '../ledger/conversion-accounts.ts';
import { retryTransient } from './retry-transient.ts';
import { storedClickReason } from './stored-click-reason.ts';

/**
 * Stores a batch of edge events in one statement (one round trip, one transaction): clicks and
 * conversions are unnested from column arrays and inserted with ON CONFLICT DO NOTHING, so a
 * redelivered batch changes nothing; the rows actually inserted (RETURNING) are added to the
 * hourly rollup in the same statement. A conversion's payout and revenue come from the offer's
 * rates in force when its click happened, with the affiliate's override if it had one then; its
 * report dimensions (subs, country, device, creative) are copied from its click when stored.
 * Invalid clicks (bot, duplicate, blocked, velocity) are stored and counted as such, and never
 * paid, nor is a click sent to the fallback (a cap_reached one whose cap counter was unreachable
 * is stored as cap_unavailable); conversions the edge flagged for review are stored pending. A
 * conversion that took its txid back from untrusted claims of other clicks rejects them, as an
 * advertiser status change. The conversions inserted are posted to the ledger by the same
 * statement (decision 021). One statement: if the database refuses it, nothing of the batch was
 * written (store-batch.ts then stores it in parts). (docs/decisions/003, 012, 018, 021)
 */
export async function ingestEvents(
  db: Database,
  batch: IngestBatch,
): Promise<{
  clicksInserted: number;
  conversionsInserted: number;
  statusUpdates: number;
  approvedCampaignIds: number[];
}> {
  const clicks = batch.events.filter((e): e is ClickEvent => e.type === 'click');
  const conversions = batch.events.filter((e): e is ConversionEvent => e.type === 'conversion');
  const statusUpdates = [
    ...batch.events.filter((e): e is ConversionStatusEvent => e.type === 'conversion_status'),
    ...(await claimChanges(conversions)),
  ];
  // Rare (an advertiser's later status change): stored apart, applied by applyStatusUpdates.
  await storeStatusUpdates(db, statusUpdates);
  if (clicks.length === 0 && conversions.length === 0) {
    return {
      clicksInserted: 0,
      conversionsInserted: 0,
      statusUpdates: statusUpdates.length,
      approvedCampaignIds: [],
    };
  }
  // Conversions move money: the statement posts them to the ledger too, to accounts made beforehand.
  await ensureConversionAccounts(db, conversions);
  // A deadlock with a status change (which writes the rollups in several statements) aborts the
  // statement whole: it is run again here rather than the edge resending the batch seconds later.
  const counts = await retryTransient(() => storeEvents(db, clicks, conversions));
  return {
    clicksInserted: Number(counts?.clicks ?? 0),
    conversionsInserted: Number(counts?.conversions ?? 0),
    statusUpdates: statusUpdates.length,
    approvedCampaignIds: (counts?.campaign_ids ?? []).map(Number),
  };
}

/** The one statement of decision 003; returns what it inserted. */
async function storeEvents(db: Database, clicks: ClickEvent[], conversions: ConversionEvent[]) {
  const col = <T, V>(rows: T[], pick: (row: T) => V) => sql.param(rows.map(pick));
  const [counts] = await queryRows<{
    clicks: number | string;
    conversions: number | string;
    rollup_rows: number | string;
    campaign_ids: number[] | null;
  }>(
    db,
    sql`
    WITH batch_clicks AS (
      SELECT *
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
        ${col(clicks, (c) => c.gbraid)}::text[], ${col(clicks, (c) => c.wbraid)}::text[],
        ${col(clicks, (c) => c.consent)}::text[], ${col(clicks, (c) => c.gdpr)}::boolean[],
        ${col(clicks, (c) => c.gdprConsent)}::text[], ${col(clicks, (c) => c.adUserData)}::text[],
        ${col(clicks, (c) => c.adPersonalization)}::text[],
        ${col(clicks, (c) => c.outcome)}::text[],
        ${col(clicks, (c) => storedClickReason(c.reason, c.capCounterUnavailable))}::text[],
        ${col(clicks, (c) => JSON.stringify(c.fraudFlags))}::text[], ${col(clicks, (c) => c.unique)}::boolean[],
        ${col(clicks, (c) => c.source)}::text[]
      ) AS e(id, occurred_at, offer_id, affiliate_id, sub1, sub2, sub3, sub4, sub5, source_id,
             creative_id, landing_page_id, ip, user_agent, country, device, os, referrer,
             gclid, fbclid, msclkid, ttclid, gbraid, wbraid, consent, gdpr, gdpr_consent, ad_user_data,
             ad_personalization, outcome, reason, fraud_flags, is_unique, source)
    ),
    judged_clicks AS (
      -- A duplicate is invalid whether it says so by its flag or by is_unique.
      SELECT b.*, (b.fraud_flags::jsonb ?| ${sql.param([...INVALID_CLICK_FLAGS])}::text[] OR NOT b.is_unique) AS invalid
      FROM batch_clicks b
    ),
    inserted_clicks AS (
      INSERT INTO clicks (id, occurred_at, offer_id, affiliate_id, sub1, sub2, sub3, sub4, sub5, source_id,
                          creative_id, landing_page_id, ip, user_agent, country, device, os, referrer,
                          gclid, fbclid, msclkid, ttclid, gbraid, wbraid, consent, gdpr, gdpr_consent, ad_user_data,
                          ad_personalization, outcome, reason, fraud_flags, is_unique, source, payout_minor, revenue_minor)
      SELECT b.id, b.occurred_at, b.offer_id, b.affiliate_id, b.sub1, b.sub2, b.sub3, b.sub4, b.sub5, b.source_id,
             b.creative_id, b.landing_page_id, b.ip, b.user_agent, b.country, b.device, b.os, b.referrer,
             b.gclid, b.fbclid, b.msclkid, b.ttclid, b.gbraid, b.wbraid, b.consent, b.gdpr, b.gdpr_consent, b.ad_user_data,
             b.ad_personalization, b.outcome, b.reason, b.fraud_flags::jsonb, b.is_unique, b.source,
             -- cpc pays clean clicks sent to the offer, by the rates in force at the click.
             CASE WHEN b.reason IS NULL AND b.is_unique AND NOT b.invalid THEN coalesce(ov.payout_minor, d.payout_minor, 0) ELSE 0 END,
             CASE WHEN b.reason IS NULL AND b.is_unique AND NOT b.invalid THEN coalesce(d.revenue_minor, 0) ELSE 0 END
      FROM judged_clicks b
      LEFT JOIN offer_payout_rules d
        ON d.offer_id = b.offer_id AND d.affiliate_id IS NULL AND d.payout_type = 'cpc'
       AND d.effective_from <= b.occurred_at AND (d.effective_to IS NULL OR d.effective_to > b.occurred_at)
      LEFT JOIN offer_payout_rules ov
        ON d.id IS NOT NULL AND ov.offer_id = b.offer_id AND ov.affiliate_id = b.affiliate_id
       AND ov.effective_from <= b.occurred_at AND (ov.effective_to IS NULL OR ov.effective_to > b.occurred_at)
      ON CONFLICT DO NOTHING
      RETURNING occurred_at, offer_id, affiliate_id, sub1, country, device, is_unique, payout_minor, revenue_minor,
                fraud_flags
    ),
    inserted_conversions AS (
      INSERT INTO conversions (id, click_id, clicked_at, occurred_at, offer_id, affiliate_id, event,
                               amount_minor, currency, sent_amount_minor, sent_currency, exchange_rate,
                               txid, status, advertiser_status,
                               payout_minor, revenue_minor, payout_currency, source, fraud_flags, reason,
                               ip, user_agent, campaign_id, sub1, sub2, sub3, sub4, sub5, source_id,
                               creative_id, country, device, customer_hashes,
                               consent, gdpr, gdpr_consent, ad_user_data, ad_personalization)
      SELECT e.id, e.click_id, e.clicked_at, e.occurred_at, e.offer_id, e.affiliate_id, e.event,
             e.amount_minor, e.currency, e.sent_amount_minor, e.sent_currency, e.exchange_rate, e.txid,
             -- Flagged for review (a bot's click, a contested txid): pending, never auto-approved.
             CASE WHEN e.reason IS NOT NULL OR e.advertiser_status = 'rejected' THEN 'rejected'
                  WHEN e.fraud_flags::jsonb ?| ${sql.param([...REVIEW_CONVERSION_FLAGS])}::text[] THEN 'pending'
                  ELSE coalesce(e.advertiser_status, 'approved') END::conversion_status,
             e.advertiser_status::conversion_status,
             -- cpc pays per click, not per conversion.
             CASE WHEN r.payout_type = 'revshare'
                  THEN round(coalesce(e.amount_minor, 0) * coalesce(ov.payout_bps, r.payout_bps) / 10000.0)::bigint
                  WHEN r.payout_type = 'cpc' THEN 0
                  ELSE coalesce(ov.payout_minor, r.payout_minor, 0) END,
             CASE WHEN r.payout_type = 'revshare'
                  THEN round(coalesce(e.amount_minor, 0) * r.revenue_bps / 10000.0)::bigint
                  WHEN r.payout_type = 'cpc' THEN 0
                  ELSE coalesce(r.revenue_minor, 0) END,
             coalesce(o.currency, e.currency, 'USD'), e.source, e.fraud_flags::jsonb, e.reason, e.ip, e.user_agent,
             ca.id, coalesce(c.sub1, bc.sub1), coalesce(c.sub2, bc.sub2), coalesce(c.sub3, bc.sub3),
             coalesce(c.sub4, bc.sub4), coalesce(c.sub5, bc.sub5), coalesce(c.source_id, bc.source_id),
             coalesce(c.creative_id, bc.creative_id), coalesce(c.country, bc.country), coalesce(c.device, bc.device),
             e.customer_hashes::jsonb,
             -- Each consent signal: the pixel's or postback's own, else its click's.
             coalesce(e.consent, c.consent, bc.consent), coalesce(e.gdpr, c.gdpr, bc.gdpr),
             coalesce(e.gdpr_consent, c.gdpr_consent, bc.gdpr_consent),
             coalesce(e.ad_user_data, c.ad_user_data, bc.ad_user_data),
             coalesce(e.ad_personalization, c.ad_personalization, bc.ad_personalization)
      FROM unnest(
        ${col(conversions, (c) => c.id)}::uuid[], ${col(conversions, (c) => c.clickId)}::text[],
        ${col(conversions, (c) => c.clickedAt)}::timestamptz[], ${col(conversions, (c) => c.occurredAt)}::timestamptz[],
        ${col(conversions, (c) => c.offerId)}::int[], ${col(conversions, (c) => c.affiliateId)}::int[],
        ${col(conversions, (c) => c.event)}::text[], ${col(conversions, (c) => c.amountMinor)}::bigint[],
        ${col(conversions, (c) => c.currency)}::text[], ${col(conversions, (c) => c.sentAmountMinor)}::bigint[],
        ${col(conversions, (c) => c.sentCurrency)}::text[], ${col(conversions, (c) => c.exchangeRate)}::text[],
        ${col(conversions, (c) => c.txid)}::text[],
        ${col(conversions, (c) => c.advertiserStatus)}::text[], ${col(conversions, (c) => c.source)}::text[],
        ${col(conversions, (c) => JSON.stringify(c.fraudFlags))}::text[], ${col(conversions, (c) => c.reason)}::text[],
        ${col(conversions, (c) => c.ip)}::text[], ${col(conversions, (c) => c.userAgent)}::text[],
        ${col(conversions, (c) => (c.customerHashes === null ? null : JSON.stringify(c.customerHashes)))}::text[],
        ${col(conversions, (c) => c.consent)}::text[], ${col(conversions, (c) => c.gdpr)}::boolean[],
        ${col(conversions, (c) => c.gdprConsent)}::text[], ${col(conversions, (c) => c.adUserData)}::text[],
        ${col(conversions, (c) => c.adPersonalization)}::text[]
      ) AS e(id, click_id, clicked_at, occurred_at, offer_id, affiliate_id, event, amount_minor, currency,
             sent_amount_minor, sent_currency, exchange_rate, txid, advertiser_status, source, fraud_flags, reason,
             ip, user_agent, customer_hashes, consent, gdpr, gdpr_consent, ad_user_data, ad_personalization)
      LEFT JOIN offers o ON o.id = e.offer_id
      -- The offer's default rates in force at click time; before the first version, the first one.
      LEFT JOIN LATERAL (
        SELECT d.payout_type, d.payout_minor, d.payout_bps, d.revenue_minor, d.revenue_bps
        FROM offer_payout_rules d
        WHERE d.offer_id = e.offer_id AND d.affiliate_id IS NULL
        ORDER BY (d.effective_from <= e.clicked_at AND (d.effective_to IS NULL OR d.effective_to > e.clicked_at)) DESC,
                 d.effective_from
        LIMIT 1
      ) r ON true
      -- The affiliate's payout override in force at click time, if any.
      LEFT JOIN LATERAL (
        SELECT x.payout_minor, x.payout_bps
        FROM offer_payout_rules x
        WHERE x.offer_id = e.offer_id AND x.affiliate_id = e.affiliate_id
          AND x.effective_from <= e.clicked_at AND (x.effective_to IS NULL OR x.effective_to > e.clicked_at)
        ORDER BY x.effective_from DESC
        LIMIT 1
      ) ov ON true
      -- Its click, stored before or arriving in this same batch (not visible in clicks yet). The
      -- click id carries its time in whole seconds: bounding occurred_at by it reads one day's
      -- partition, not all of them (decision 032).
      LEFT JOIN clicks c ON c.id = e.click_id
       AND c.occurred_at >= e.clicked_at AND c.occurred_at < e.clicked_at + interval '1 second'
      LEFT JOIN batch_clicks bc ON bc.id = e.click_id
      LEFT JOIN creatives cr ON cr.id = coalesce(c.creative_id, bc.creative_id)
      -- Only a campaign of this offer (or of its advertiser, when the campaign names no offer):
      -- a creative id of someone else's campaign on the link must not spend that campaign's budget.
      LEFT JOIN campaigns ca ON ca.id = cr.campaign_id
       AND (ca.offer_id = e.offer_id OR (ca.offer_id IS NULL AND ca.advertiser_id = o.advertiser_id))
      ON CONFLICT DO NOTHING
      RETURNING id, occurred_at, offer_id, affiliate_id, sub1, country, device, status, payout_minor, revenue_minor,
                campaign_id, payout_currency
    ),
    ledger_conversions AS (
      -- What each conversion just stored owes, posted in this same statement (decision 021): the
      -- rule of expectedHoldings in ledger/conversion-ledger.ts, for conversions that hold nothing
      -- yet. Pending: held in the pending layer; approved: posted; rejected or earning nothing:
      -- nothing; revenue without an advertiser to owe it: not posted (reconciliation names it).
      SELECT ic.id, ic.status, ic.payout_minor, ic.revenue_minor, ic.payout_currency AS currency, ic.affiliate_id,
             o.advertiser_id
      FROM inserted_conversions ic
      LEFT JOIN offers o ON o.id = ic.offer_id
      WHERE ic.status <> 'rejected' AND (ic.payout_minor <> 0 OR ic.revenue_minor <> 0)
        AND (ic.revenue_minor = 0 OR o.advertiser_id IS NOT NULL) AND ic.payout_currency ~ '^[A-Z]{3}$'
    ),
    ledger_transfer_rows AS (
      INSERT INTO ledger_transfers (idempotency_key, kind, conversion_id, memo)
      SELECT 'conversion:' || c.id || ':1', CASE WHEN c.status = 'approved' THEN 'post' ELSE 'hold' END::ledger_transfer_kind,
             c.id, 'conversion ' || c.status::text
      FROM ledger_conversions c
      ORDER BY c.id
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id, conversion_id
    ),
    ledger_entry_rows AS (
      -- Each leg's account by its unique key, one index lookup each. The accounts exist
      -- (ensureConversionAccounts); one missing would be a null account, refused with the batch.
      INSERT INTO ledger_entries (transfer_id, account_id, layer, amount_minor, currency)
      SELECT t.id,
             (SELECT a.id FROM ledger_accounts a
              WHERE a.kind = l.kind::ledger_account_kind AND a.owner_id = l.owner_id AND a.currency = c.currency::char(3)),
             CASE WHEN c.status = 'approved' THEN 'posted' ELSE 'pending' END::ledger_layer, l.amount, c.currency::char(3)
      FROM ledger_transfer_rows t
      JOIN ledger_conversions c ON c.id = t.conversion_id
      CROSS JOIN LATERAL (VALUES ('advertiser', c.advertiser_id::text, c.revenue_minor),
                                 ('affiliate_payable', c.affiliate_id::text, -c.payout_minor),
                                 ('network_revenue', 'network', -(c.revenue_minor - c.payout_minor))) AS l(kind, owner_id, amount)
      WHERE l.amount <> 0
      ORDER BY t.id, l.kind
      RETURNING 1
    ),
    queued_postbacks AS (
      -- The outbox rows owed for the conversions just stored (decision 014): same statement, so a
      -- conversion is never stored without its postbacks, and a redelivered batch queues none.
      INSERT INTO postback_deliveries (conversion_id, postback_config_id, affiliate_id, trigger)
      SELECT ic.id, pc.id, pc.affiliate_id, ic.status::text::postback_trigger
      FROM inserted_conversions ic
      JOIN postback_configs pc
        ON pc.affiliate_id = ic.affiliate_id AND (pc.offer_id IS NULL OR pc.offer_id = ic.offer_id) AND pc.is_active
       AND (ic.status = 'approved' OR (ic.status = 'pending' AND pc.fire_on = 'pending'))
      ON CONFLICT DO NOTHING
      RETURNING 1
    ),
    queued_ad_events AS (
      -- The ad platforms owed each new conversion (decision 030), queued in this same statement like
      -- affiliate postbacks. Paused destinations are queued too: nothing is lost while one is paused.
      INSERT INTO ad_conversion_deliveries (destination_id, conversion_id, kind)
      SELECT d.id, ic.id, 'conversion'
      FROM inserted_conversions ic
      JOIN offers o ON o.id = ic.offer_id
      JOIN ad_conversion_destinations d
        ON d.advertiser_id = o.advertiser_id AND (d.offer_id IS NULL OR d.offer_id = ic.offer_id) AND d.status <> 'archived'
       AND (ic.status = 'approved' OR (ic.status = 'pending' AND d.send_on = 'pending'))
      ON CONFLICT DO NOTHING
      RETURNING 1
    ),
    rollup AS (
      -- One INSERT for clicks and conversions together: a row may be touched once per statement.
      -- Keys are sorted so concurrent batches lock rollup rows in the same order (no deadlock).
      INSERT INTO hourly_stats AS h (hour, offer_id, affiliate_id, sub1, country, device,
                                    clicks, unique_clicks, invalid_clicks, bot_clicks, blocked_clicks, velocity_clicks,
                                    conversions, approved_conversions, pending_conversions, rejected_conversions,
                                    payout_minor, revenue_minor)
      SELECT hour, offer_id, affiliate_id, sub1, country, device,
             sum(clicks), sum(unique_clicks), sum(invalid_clicks), sum(bot_clicks), sum(blocked_clicks),
             sum(velocity_clicks), sum(conversions), sum(approved), sum(pending), sum(rejected),
             sum(payout_minor), sum(revenue_minor)
      FROM (
        SELECT date_trunc('hour', occurred_at, 'UTC') AS hour, offer_id, affiliate_id, coalesce(sub1, '') AS sub1,
               coalesce(country, '') AS country, coalesce(device, '') AS device,
               1 AS clicks, CASE WHEN is_unique THEN 1 ELSE 0 END AS unique_clicks,
               CASE WHEN fraud_flags ?| ${sql.param([...INVALID_CLICK_FLAGS])}::text[] OR NOT is_unique THEN 1 ELSE 0 END
                 AS invalid_clicks,
               CASE WHEN fraud_flags ? 'bot' THEN 1 ELSE 0 END AS bot_clicks,
               CASE WHEN fraud_flags ?| array['blocked_ip', 'blocked_user_agent'] THEN 1 ELSE 0 END AS blocked_clicks,
               CASE WHEN fraud_flags ? 'ip_velocity' THEN 1 ELSE 0 END AS velocity_clicks,
               0 AS conversions, 0 AS approved, 0 AS pending, 0 AS rejected, payout_minor, revenue_minor
        FROM inserted_clicks
        UNION ALL
        -- A rejected conversion counts only in rejected_conversions: not in conversions, nor its money.
        SELECT date_trunc('hour', occurred_at, 'UTC'), offer_id, affiliate_id, coalesce(sub1, ''),
               coalesce(country, ''), coalesce(device, ''), 0, 0, 0, 0, 0, 0,
               CASE WHEN status <> 'rejected' THEN 1 ELSE 0 END, CASE WHEN status = 'approved' THEN 1 ELSE 0 END,
               CASE WHEN status = 'pending' THEN 1 ELSE 0 END, CASE WHEN status = 'rejected' THEN 1 ELSE 0 END,
               CASE WHEN status <> 'rejected' THEN payout_minor ELSE 0 END,
               CASE WHEN status <> 'rejected' THEN revenue_minor ELSE 0 END
        FROM inserted_conversions
      ) x
      GROUP BY hour, offer_id, affiliate_id, sub1, country, device
      ORDER BY hour, offer_id, affiliate_id, sub1, country, device
      ON CONFLICT (hour, offer_id, affiliate_id, sub1, country, device) DO UPDATE SET
        clicks = h.clicks + excluded.clicks,
        unique_clicks = h.unique_clicks + excluded.unique_clicks,
        invalid_clicks = h.invalid_clicks + excluded.invalid_clicks,
        bot_clicks = h.bot_clicks + excluded.bot_clicks,
        blocked_clicks = h.blocked_clicks + excluded.blocked_clicks,
        velocity_clicks = h.velocity_clicks + excluded.velocity_clicks,
        conversions = h.conversions + excluded.conversions,
        approved_conversions = h.approved_conversions + excluded.approved_conversions,
        pending_conversions = h.pending_conversions + excluded.pending_conversions,
        rejected_conversions = h.rejected_conversions + excluded.rejected_conversions,
        payout_minor = h.payout_minor + excluded.payout_minor,
        revenue_minor = h.revenue_minor + excluded.revenue_minor
      RETURNING 1
    ),
    ingest_minute AS (
      -- What was stored this minute, by lag (stored minus happened), for the system view. Each
      -- connection its own shard: concurrent batches never wait on one another's row.
      INSERT INTO ingest_minutes AS m (minute, shard, lag_bucket, clicks, conversions, max_lag_seconds,
                                       last_received_at)
      SELECT date_trunc('minute', now(), 'UTC'), pg_backend_pid() % 16,
             width_bucket(lag, ${sql.param([...LAG_BUCKET_BOUNDS_SECONDS])}::float8[]),
             count(*) FILTER (WHERE is_click), count(*) FILTER (WHERE NOT is_click), max(lag), now()
      FROM (
        SELECT true AS is_click, extract(epoch FROM now() - occurred_at)::float8 AS lag FROM inserted_clicks
        UNION ALL
        SELECT false, extract(epoch FROM now() - occurred_at)::float8 FROM inserted_conversions
      ) x
      GROUP BY 3
      ORDER BY 3
      ON CONFLICT (minute, shard, lag_bucket) DO UPDATE SET
        clicks = m.clicks + excluded.clicks,
        conversions = m.conversions + excluded.conversions,
        max_lag_seconds = greatest(m.max_lag_seconds, excluded.max_lag_seconds),
        last_received_at = greatest(m.last_received_at, excluded.last_received_at)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM inserted_clicks) AS clicks,
           (SELECT count(*) FROM inserted_conversions) AS conversions,
           (SELECT count(*) FROM rollup) AS rollup_rows,
           (SELECT count(*) FROM queued_postbacks) AS postbacks_queued,
           (SELECT count(*) FROM ingest_minute) AS minute_rows,
           (SELECT array_agg(DISTINCT campaign_id) FROM inserted_conversions
            WHERE campaign_id IS NOT NULL AND status = 'approved') AS campaign_ids`,
  );
  return counts;
}

/**
 * What a conversion does to the other claims of its order, as status changes (applied whichever
 * arrives first, audited, their postbacks corrected): a trusted postback rejects the untrusted
 * claims it took the order from; a contested order holds the earlier untrusted claims for review
 * (pending) with the later one.
 */
async function claimChanges(conversions: ConversionEvent[]): Promise<ConversionStatusEvent[]> {
  const changes: ConversionStatusEvent[] = [];
  for (const conversion of conversions) {
    const kinds = [
      ['supersede', conversion.supersedes, 'rejected'],
      ['hold', conversion.holds, 'pending'],
    ] as const;
    for (const [change, others, status] of kinds) {
      for (const other of others) {
        changes.push({
          type: 'conversion_status',
          id: await claimChangeIdFor(change, other.conversionId, conversion.id),
          occurredAt: conversion.occurredAt,
          conversionId: other.conversionId,
          clickId: other.clickId,
          offerId: conversion.offerId,
          status,
          trusted: true,
        });
      }
    }
  }
  return changes;
}
