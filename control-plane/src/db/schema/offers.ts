import type { OfferCaps } from '@tas/shared/caps';
import type { FraudRules } from '@tas/shared/fraud-rules';
import type { TrackingPrivacyOverride } from '@tas/shared/privacy';
import type { Targeting } from '@tas/shared/targeting';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { advertisers } from './advertisers.ts';
import { affiliates } from './affiliates.ts';
import { entityId, timestamps } from './columns.ts';

// Literal defaults (not imported from shared) keep this file loadable by drizzle-kit on its own.
const NO_LIMITS = {
  dailyClicks: null,
  monthlyClicks: null,
  dailyConversions: null,
  monthlyConversions: null,
};

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
  /** When not empty, the edge accepts postbacks only from these addresses or ranges. */
  postbackIpAllowlist: text().array().notNull().default([]),
  /**
   * Which requests may create conversions: postback, pixel or postback_and_pixel; null: both,
   * except that an offer with a postback secret or ip allowlist takes postbacks only.
   */
  conversionSources: text().$type<'postback' | 'pixel' | 'postback_and_pixel'>(),
  /*
   * Edge rules, each validated by its shared schema (the edge reads them as they are stored):
   * kept as JSON because the edge reads them whole and nothing queries inside them.
   */
  targeting: jsonb()
    .$type<Targeting>()
    .notNull()
    .default({ countries: [], devices: [], operatingSystems: [] }),
  deepLinks: jsonb()
    .$type<{ allowed: boolean; hosts: string[] }>()
    .notNull()
    .default({ allowed: false, hosts: [] }),
  caps: jsonb()
    .$type<OfferCaps>()
    .notNull()
    .default({ offer: NO_LIMITS, perAffiliate: NO_LIMITS, affiliateOverrides: [] }),
  fraudRules: jsonb().$type<FraudRules>().notNull().default({
    duplicateClickWindowSeconds: 0,
    maxClicksPerIpPerMinute: null,
    action: 'flag',
    minSecondsToConvert: null,
    maxSecondsToConvert: null,
    blockedIps: [],
    blockedUserAgents: [],
  }),
  /** Overrides of the network's privacy settings (ip, user agent, consent, regions); {} follows it. */
  privacy: jsonb().$type<TrackingPrivacyOverride>().notNull().default({}),
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

/** Weighted landing pages of an offer; ids appear in click events (landingPageId). */
export const offerLandingPages = pgTable(
  'offer_landing_pages',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    offerId: integer()
      .notNull()
      .references(() => offers.id),
    name: text().notNull(),
    url: text().notNull(),
    weight: integer().notNull().default(1),
    isActive: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [index().on(t.offerId)],
);
export type OfferLandingPage = typeof offerLandingPages.$inferSelect;

/**
 * What an offer pays and earns, as versions with a validity period, so a conversion is paid by
 * the rules in force when its click happened. `affiliateId` null: the offer's default (payout
 * and revenue); set: that affiliate's payout override.
 */
export const offerPayoutRules = pgTable(
  'offer_payout_rules',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    offerId: integer()
      .notNull()
      .references(() => offers.id),
    affiliateId: integer().references(() => affiliates.id),
    payoutType: payoutType().notNull(),
    payoutMinor: bigint({ mode: 'number' }).notNull().default(0),
    payoutBps: integer().notNull().default(0),
    revenueMinor: bigint({ mode: 'number' }).notNull().default(0),
    revenueBps: integer().notNull().default(0),
    effectiveFrom: timestamp({ withTimezone: true }).notNull().defaultNow(),
    effectiveTo: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.offerId, t.affiliateId, t.effectiveFrom)],
);
export type OfferPayoutRule = typeof offerPayoutRules.$inferSelect;
