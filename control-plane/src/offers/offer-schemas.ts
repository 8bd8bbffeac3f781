import { offerCapsSchema } from '@tas/shared/caps';
import { fraudRulesSchema } from '@tas/shared/fraud-rules';
import { entityIdSchema } from '@tas/shared/ids';
import { ipRangeTextSchema } from '@tas/shared/ip-match';
import { currencySchema, minorUnitsSchema } from '@tas/shared/money';
import {
  conversionSourcesSchema,
  deepLinkRulesSchema,
  eventNameSchema,
  httpUrlSchema,
  offerVisibilitySchema,
} from '@tas/shared/offer-config';
import { trackingPrivacyOverrideSchema } from '@tas/shared/privacy';
import { targetingSchema } from '@tas/shared/targeting';
import { z } from 'zod';

export const offerStatusSchema = z.enum(['draft', 'active', 'paused', 'archived']);
export const payoutTypeSchema = z
  .enum(['cpc', 'cpa', 'cpl', 'cps', 'revshare'])
  .describe('cpc: per click; cpa/cpl/cps: fixed per conversion; revshare: basis points of the sale');
const basisPoints = z
  .number()
  .int()
  .min(0)
  .max(10_000)
  .describe('Basis points of the sale amount (100 = 1%)');
const attributionWindowHours = z
  .number()
  .int()
  .min(1)
  .max(24 * 365)
  .describe('How long after a click a conversion is credited to it');

export const landingPageInputSchema = z
  .object({
    id: entityIdSchema.optional().describe('An existing page of this offer to change; absent: a new page'),
    name: z.string().trim().min(1).max(200),
    url: httpUrlSchema,
    weight: z.number().int().min(1).max(10_000).default(1).describe('Relative share of traffic'),
  })
  .meta({ id: 'LandingPageInput' });

const landingPagesSchema = z
  .array(landingPageInputSchema)
  .max(50)
  .describe('The whole list: pages left out are retired (their ids stay valid in old clicks)');

const postbackIpAllowlistSchema = z
  .array(ipRangeTextSchema)
  .max(100)
  .describe('When not empty, advertiser postbacks are accepted only from these addresses or ranges');

const offerFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).nullable(),
  payoutType: payoutTypeSchema,
  payoutMinor: minorUnitsSchema.min(0).describe('Affiliate payout per event, minor units (fixed types)'),
  payoutBps: basisPoints.describe('Affiliate revenue share, basis points of the sale (revshare)'),
  revenueMinor: minorUnitsSchema.min(0).describe('What the advertiser pays per event, minor units'),
  revenueBps: basisPoints.describe('What the advertiser pays, basis points of the sale (revshare)'),
  status: offerStatusSchema,
  visibility: offerVisibilitySchema,
  destinationUrl: httpUrlSchema,
  previewUrl: httpUrlSchema.nullable(),
  fallbackUrl: httpUrlSchema.nullable(),
  defaultEvent: eventNameSchema,
  events: z.array(eventNameSchema).min(1).max(50),
  attributionWindowHours,
  postbackSecret: z.string().min(8).max(128).nullable(),
  postbackIpAllowlist: postbackIpAllowlistSchema,
  conversionSources: conversionSourcesSchema.nullable(),
  targeting: targetingSchema,
  deepLinks: deepLinkRulesSchema,
  caps: offerCapsSchema,
  fraudRules: fraudRulesSchema,
  privacy: trackingPrivacyOverrideSchema.describe(
    "Overrides of the network's privacy settings; a field left out or null follows the network",
  ),
  landingPages: landingPagesSchema,
};

export const offerCreateRequestSchema = z
  .object({
    advertiserId: entityIdSchema.optional().describe('Required for admins; advertisers create their own'),
    name: offerFields.name,
    description: offerFields.description.optional(),
    payoutType: payoutTypeSchema,
    payoutMinor: offerFields.payoutMinor.default(0),
    payoutBps: offerFields.payoutBps.default(0),
    revenueMinor: offerFields.revenueMinor.default(0),
    revenueBps: offerFields.revenueBps.default(0),
    currency: currencySchema.default('USD'),
    status: offerStatusSchema.default('draft'),
    visibility: offerVisibilitySchema.default('public'),
    destinationUrl: httpUrlSchema,
    previewUrl: offerFields.previewUrl.optional(),
    fallbackUrl: offerFields.fallbackUrl.optional(),
    defaultEvent: eventNameSchema.default('conversion'),
    events: offerFields.events.default(['conversion']),
    attributionWindowHours: attributionWindowHours.default(720),
    postbackSecret: offerFields.postbackSecret.optional(),
    postbackIpAllowlist: postbackIpAllowlistSchema.default([]),
    conversionSources: conversionSourcesSchema.nullable().default(null),
    targeting: targetingSchema.default({ countries: [], devices: [], operatingSystems: [] }),
    deepLinks: deepLinkRulesSchema.default({ allowed: false, hosts: [] }),
    caps: offerCapsSchema.default(offerCapsSchema.parse({})),
    fraudRules: fraudRulesSchema.default(fraudRulesSchema.parse({})),
    privacy: offerFields.privacy.default({}),
    landingPages: landingPagesSchema.default([]),
  })
  .refine((o) => o.events.includes(o.defaultEvent), {
    message: 'defaultEvent must be one of events',
    path: ['defaultEvent'],
  })
  .refine((o) => o.landingPages.every((p) => p.id === undefined), {
    message: 'new offers have no existing landing pages',
    path: ['landingPages'],
  })
  .describe('A new offer')
  .meta({ id: 'OfferCreateRequest' });
export type OfferCreateRequest = z.input<typeof offerCreateRequestSchema>;

export const offerUpdateRequestSchema = z
  .object(offerFields)
  .partial()
  .describe('Fields of an offer to change; the others stay as they are')
  .meta({ id: 'OfferUpdateRequest' });
export type OfferUpdateRequest = z.input<typeof offerUpdateRequestSchema>;

export const landingPageResponseSchema = z
  .object({ id: z.number().int(), name: z.string(), url: z.string(), weight: z.number().int() })
  .meta({ id: 'LandingPage' });

/** The full offer, for admins and its advertiser. The postback secret is never returned. */
export const offerResponseSchema = z
  .object({
    id: z.number().int(),
    advertiserId: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    payoutType: payoutTypeSchema,
    payoutMinor: z.number().int(),
    payoutBps: z.number().int(),
    revenueMinor: z.number().int(),
    revenueBps: z.number().int(),
    currency: z.string(),
    status: offerStatusSchema,
    visibility: offerVisibilitySchema,
    destinationUrl: z.string(),
    previewUrl: z.string().nullable(),
    fallbackUrl: z.string().nullable(),
    defaultEvent: z.string(),
    events: z.array(z.string()),
    attributionWindowHours: z.number().int(),
    hasPostbackSecret: z.boolean(),
    postbackIpAllowlist: z.array(z.string()),
    conversionSources: conversionSourcesSchema.nullable().describe('As set; null: the default'),
    acceptedConversionSources: conversionSourcesSchema.describe(
      'What the edge accepts: the setting, or by default postbacks only when the offer has a secret or ip allowlist, else both',
    ),
    targeting: targetingSchema,
    deepLinks: deepLinkRulesSchema,
    caps: offerCapsSchema,
    fraudRules: fraudRulesSchema,
    privacy: trackingPrivacyOverrideSchema,
    landingPages: z.array(landingPageResponseSchema),
    revision: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Offer' });
export type OfferResponse = z.infer<typeof offerResponseSchema>;

/** What an affiliate sees of an offer: its own payout, no advertiser revenue, no secrets. */
export const affiliateOfferResponseSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    payoutType: payoutTypeSchema,
    payoutMinor: z.number().int().describe('Your payout per event (your override when you have one)'),
    payoutBps: z.number().int(),
    currency: z.string(),
    status: offerStatusSchema,
    visibility: offerVisibilitySchema,
    previewUrl: z.string().nullable(),
    events: z.array(z.string()),
    attributionWindowHours: z.number().int(),
    targeting: targetingSchema,
    deepLinksAllowed: z.boolean(),
    deepLinkHosts: z
      .array(z.string())
      .describe('Hosts a deep link (url= on your link) may point at; *.x.com covers subdomains'),
    access: z
      .enum(['open', 'approved', 'pending', 'rejected', 'not_applied'])
      .describe('open: public offer; otherwise your application status'),
    trackingLink: z.string().nullable().describe('Your link, when you may run the offer'),
  })
  .meta({ id: 'AffiliateOffer' });
export type AffiliateOfferResponse = z.infer<typeof affiliateOfferResponseSchema>;

export const payoutOverrideRequestSchema = z
  .object({
    payoutMinor: minorUnitsSchema.min(0).default(0),
    payoutBps: basisPoints.default(0),
  })
  .describe(
    "This affiliate's payout on the offer, from now on (earlier clicks keep earlier rules), in the unit " +
      "of the offer's payout type: payoutBps for revshare, payoutMinor otherwise. It lasts until replaced, " +
      "removed, or the offer's payout type changes",
  )
  .meta({ id: 'PayoutOverrideRequest' });

export const payoutOverrideListQuerySchema = z.object({
  history: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: every override version, ended ones included, newest first'),
});

export const payoutOverrideResponseSchema = z
  .object({
    affiliateId: z.number().int(),
    payoutType: payoutTypeSchema.describe("The offer's payout type the override was set for"),
    payoutMinor: z.number().int(),
    payoutBps: z.number().int(),
    effectiveFrom: z.iso.datetime(),
    effectiveTo: z.iso.datetime().nullable().describe('When it ended; null while in force'),
    endReason: z
      .enum(['payout_type_changed', 'replaced', 'removed'])
      .nullable()
      .describe(
        "payout_type_changed: the offer's payout type changed, which ends its overrides; replaced by a " +
          'newer override; removed. Null while in force',
      ),
  })
  .meta({ id: 'PayoutOverride' });
