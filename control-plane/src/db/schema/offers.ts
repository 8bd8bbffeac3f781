import { bigint, integer, pgEnum, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { advertisers } from './advertisers.ts';
import { affiliates } from './affiliates.ts';
import { entityId, timestamps } from './columns.ts';

export const payoutType = pgEnum('payout_type', ['cpc', 'cpa', 'cpl', 'cps', 'revshare']);
export const offerStatus = pgEnum('offer_status', ['draft', 'active', 'paused', 'archived']);
export const offerVisibility = pgEnum('offer_visibility', ['public', 'approval_required', 'private']);

export const offers = pgTable('offers', {
  id: entityId(),
  advertiserId: integer()
    .notNull()
    .references(() => advertisers.id),
  name: text().notNull(),
  description: text(),
  payoutType: payoutType().notNull(),
  /** What the affiliate earns per event (fixed types), in minor units of `currency`. */
  payoutMinor: bigint({ mode: 'number' }).notNull().default(0),
  /** Revenue share paid to the affiliate, in basis points of the sale amount (revshare). */
  payoutBps: integer().notNull().default(0),
  /** What the advertiser pays us per event, kept apart from the affiliate payout. */
  revenueMinor: bigint({ mode: 'number' }).notNull().default(0),
  revenueBps: integer().notNull().default(0),
  currency: text().notNull().default('USD'),
  status: offerStatus().notNull().default('draft'),
  visibility: offerVisibility().notNull().default('public'),
  /** The advertiser's landing URL with macros (the brief's tracking_url). */
  destinationUrl: text().notNull(),
  previewUrl: text(),
  fallbackUrl: text(),
  defaultEvent: text().notNull().default('conversion'),
  events: text().array().notNull().default(['conversion']),
  attributionWindowHours: integer().notNull().default(720),
  /** Shared secret the advertiser appends to postbacks; only its SHA-256 is sent to the edge. */
  postbackSecret: text(),
  /** Increases with every change; the edge copy carries it. */
  revision: integer().notNull().default(1),
  ...timestamps,
});
export type Offer = typeof offers.$inferSelect;
export type NewOffer = typeof offers.$inferInsert;

export const offerAccessStatus = pgEnum('offer_access_status', ['pending', 'approved', 'rejected']);

/** An affiliate's standing on a non-public offer (application, approval, rejection). */
export const offerAccess = pgTable(
  'offer_access',
  {
    offerId: integer()
      .notNull()
      .references(() => offers.id),
    affiliateId: integer()
      .notNull()
      .references(() => affiliates.id),
    status: offerAccessStatus().notNull().default('pending'),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.offerId, t.affiliateId] })],
);
