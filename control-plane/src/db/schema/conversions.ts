import type { CustomerHashes } from '@tas/shared/customer-data';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const conversionStatus = pgEnum('conversion_status', ['pending', 'approved', 'rejected']);

/**
 * One row per conversion. The id is the event id (deterministic from offer + event + txid when a
 * txid exists; from the click too for a pixel, or for an order two clicks claimed), so neither a
 * queue redelivery nor an advertiser's retry counts twice; (offer, event, txid, click) is unique.
 * (offer, event, txid) alone is not: an order claimed by two clicks keeps both conversions, one
 * rejected or held for review (docs/decisions/018-counting-truth.md). The click may arrive later:
 * no foreign key to clicks.
 */
export const conversions = pgTable(
  'conversions',
  {
    id: uuid().primaryKey(),
    clickId: text().notNull(),
    clickedAt: timestamp({ withTimezone: true }).notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    offerId: integer().notNull(),
    affiliateId: integer().notNull(),
    campaignId: integer(),
    event: text().notNull(),
    /** Sale amount in `currency`, the offer's (converted when it was sent in another). */
    amountMinor: bigint({ mode: 'number' }),
    currency: text(),
    /** The amount as the advertiser sent it, when in another currency, and the rate applied. */
    sentAmountMinor: bigint({ mode: 'number' }),
    sentCurrency: text(),
    exchangeRate: text(),
    txid: text(),
    status: conversionStatus().notNull(),
    advertiserStatus: conversionStatus(),
    /** Affiliate payout and advertiser revenue, fixed at ingestion, in the offer's currency. */
    payoutMinor: bigint({ mode: 'number' }).notNull(),
    revenueMinor: bigint({ mode: 'number' }).notNull(),
    payoutCurrency: text().notNull(),
    source: text().notNull(),
    fraudFlags: jsonb().$type<string[]>().notNull().default([]),
    /** Why the edge marked it, e.g. cap_reached (stored, rejected, not payable). */
    reason: text(),
    ip: text(),
    userAgent: text(),
    /** The email and phone the advertiser sent, as SHA-256 hashes made at the edge (never the raw values). */
    customerHashes: jsonb().$type<CustomerHashes>(),
    /**
     * Consent signals (consent, IAB TCF, Google consent mode): the pixel's or postback's own, else
     * its click's when the click was stored first (ad-platform forwarding reads both).
     */
    consent: text().$type<'granted' | 'denied'>(),
    gdpr: boolean(),
    gdprConsent: text(),
    adUserData: text().$type<'granted' | 'denied'>(),
    adPersonalization: text().$type<'granted' | 'denied'>(),
    /** Copied from the click at ingestion (null when the click had not arrived yet), for reports. */
    sub1: text(),
    sub2: text(),
    sub3: text(),
    sub4: text(),
    sub5: text(),
    sourceId: text(),
    creativeId: integer(),
    country: text(),
    device: text(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One conversion per order and click: the same click's retry is stored once even if it
    // came under another event id; another click's claim of the order is kept apart.
    uniqueIndex().on(t.offerId, t.event, t.txid, t.clickId),
    index().on(t.clickId),
    index().on(t.offerId, t.occurredAt),
    index().on(t.affiliateId, t.occurredAt),
    index().on(t.txid),
    index().on(t.campaignId, t.occurredAt),
    index().using('brin', t.receivedAt),
  ],
);
export type Conversion = typeof conversions.$inferSelect;

/** Every change made to a conversion after ingestion (status, amounts, reversal), who and why. */
export const conversionChanges = pgTable(
  'conversion_changes',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    conversionId: uuid().notNull(),
    action: text().notNull().$type<'approve' | 'reject' | 'pend' | 'reverse' | 'adjust'>(),
    before: jsonb().$type<{ status: string; payoutMinor: number; revenueMinor: number }>().notNull(),
    after: jsonb().$type<{ status: string; payoutMinor: number; revenueMinor: number }>().notNull(),
    reason: text(),
    userId: uuid(),
    changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.conversionId)],
);

/**
 * Status changes an advertiser sent by postback for a conversion already counted (same offer,
 * event and txid). Kept until applied, so an update that overtakes its conversion in the queue is
 * applied when the conversion arrives. The id is the event id: a redelivery inserts nothing.
 */
export const conversionStatusUpdates = pgTable(
  'conversion_status_updates',
  {
    id: uuid().primaryKey(),
    conversionId: uuid().notNull(),
    /** The click the postback named; a change for a conversion of another click is refused. */
    clickId: text().notNull(),
    offerId: integer().notNull(),
    status: conversionStatus().notNull(),
    /**
     * Sent by a trusted postback (the offer's secret or ip allowlist), or made by TAS itself (a
     * trusted postback rejecting claims of its order, a contested order held for review). Only
     * trusted changes approve a conversion held for review.
     */
    trusted: boolean().notNull().default(true),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    appliedAt: timestamp({ withTimezone: true }),
    /** What applying it did: changed, unchanged, or refused (e.g. the edge had rejected the conversion). */
    outcome: text(),
  },
  (t) => [
    index('conversion_status_updates_unapplied_idx').on(t.conversionId).where(sql`${t.appliedAt} IS NULL`),
  ],
);
