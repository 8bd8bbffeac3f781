import { z } from 'zod';
import { campaignAtEdgeSchema, MAX_CAMPAIGNS_PER_OFFER } from './campaign-serving.ts';
import { NO_CAPS, offerCapsSchema } from './caps.ts';
import { fraudRulesSchema } from './fraud-rules.ts';
import { entityIdSchema } from './ids.ts';
import { ipRangeTextSchema } from './ip-match.ts';
import { currencySchema } from './money.ts';
import { trackingPrivacyOverrideSchema } from './privacy.ts';
import { targetingSchema } from './targeting.ts';

/** Only http(s) destinations: a `javascript:` or `data:` URL in a Location header is an attack. */
export const httpUrlSchema = z
  .url({ protocol: /^https?$/, hostname: z.regexes.domain })
  .max(2048)
  .describe('An absolute http(s) URL; may contain {macros}');

/**
 * Where a creative's file is served from: any http(s) host, an address or `localhost` included
 * (TAS's own asset URLs on a local stack). Only ever an `<img src>` in an ad tag, never a redirect.
 */
export const assetUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .describe("An absolute http(s) URL of a creative's file");

export const offerStatusAtEdgeSchema = z
  .enum(['active', 'paused'])
  .describe('Drafts and archived offers are not published to the edge at all');

export const offerVisibilitySchema = z
  .enum(['public', 'approval_required', 'private'])
  .describe('public: any active affiliate may run it; otherwise only approved affiliates');

export const conversionSourcesSchema = z
  .enum(['postback', 'pixel', 'postback_and_pixel'])
  .describe(
    'Which requests may create conversions: server postbacks, browser pixels, or both. Unset: both, ' +
      'except that an offer with a postback secret or ip allowlist takes postbacks only',
  );
export type ConversionSources = z.infer<typeof conversionSourcesSchema>;

/** The sources an offer accepts, its setting or the default (decision 018). */
export function acceptedConversionSources(offer: {
  conversionSources: ConversionSources | null;
  postbackSecretSha256: string | null;
  postbackIpAllowlist: readonly string[];
}): ConversionSources {
  if (offer.conversionSources !== null) return offer.conversionSources;
  // A pixel cannot keep a secret: an advertiser who asked for one meant "only my server".
  const guarded = offer.postbackSecretSha256 !== null || offer.postbackIpAllowlist.length > 0;
  return guarded ? 'postback' : 'postback_and_pixel';
}

export const eventNameSchema = z
  .string()
  .regex(/^[a-z0-9_]{1,64}$/, 'lowercase letters, digits and _')
  .describe('A conversion event name, e.g. conversion, lead, sale');

export const landingPageSchema = z.object({
  id: entityIdSchema,
  url: httpUrlSchema,
  weight: z.number().int().min(1).max(10_000).describe('Relative share of traffic'),
});
export type LandingPage = z.infer<typeof landingPageSchema>;

/** How many creatives one offer's configuration carries at most (the ad tag rotates among them). */
export const MAX_CREATIVES_AT_EDGE = 200;

export const creativeSizeSchema = z
  .string()
  .regex(/^[1-9]\d{0,4}x[1-9]\d{0,4}$/, 'WIDTHxHEIGHT, e.g. 300x250')
  .describe('A placement size in pixels');

/**
 * A creative the edge may show in an ad tag (`GET /ad/{offer}`), in the rotation of its size.
 * Only images and videos: an HTML creative cannot be wrapped in the tracked link.
 */
export const creativeAtEdgeSchema = z.object({
  id: entityIdSchema,
  name: z.string().max(200).describe('The alt text of the ad'),
  type: z.enum(['image', 'video']),
  size: creativeSizeSchema,
  url: assetUrlSchema,
  weight: z.number().int().min(1).max(10_000).describe('Relative share among creatives of its size'),
});
export type CreativeAtEdge = z.infer<typeof creativeAtEdgeSchema>;

const hostnameSchema = z
  .string()
  .max(253)
  .regex(
    /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'a lowercase hostname, optionally *.example.com',
  );

export const deepLinkRulesSchema = z
  .object({
    allowed: z.boolean().default(false),
    hosts: z
      .array(hostnameSchema)
      .max(100)
      .default([])
      .describe('Hosts a deep link may point at; *.x.com covers subdomains'),
  })
  .describe('Whether affiliates may send visitors to a specific page of the advertiser (url= on the link)');

/**
 * The slim projection of an offer that the edge reads from KV (key `offer:{id}`) on every click
 * and postback. Written only by the control plane; validated again by the edge on read.
 */
export const offerConfigSchema = z.object({
  id: entityIdSchema,
  status: offerStatusAtEdgeSchema,
  destinationUrl: httpUrlSchema,
  landingPages: z
    .array(landingPageSchema)
    .max(50)
    .default([])
    .describe('When present, each click goes to one of these, picked by weight, instead of destinationUrl'),
  fallbackUrl: httpUrlSchema.nullable(),
  visibility: offerVisibilitySchema,
  approvedAffiliateIds: z.array(entityIdSchema).describe('Affiliates approved to run a non-public offer'),
  targeting: targetingSchema.default({ countries: [], devices: [], operatingSystems: [] }),
  deepLinks: deepLinkRulesSchema.default({ allowed: false, hosts: [] }),
  caps: offerCapsSchema.default({ offer: NO_CAPS, perAffiliate: NO_CAPS, affiliateOverrides: [] }),
  fraud: fraudRulesSchema.default({
    duplicateClickWindowSeconds: 0,
    maxClicksPerIpPerMinute: null,
    action: 'flag',
    minSecondsToConvert: null,
    maxSecondsToConvert: null,
    blockedIps: [],
    blockedUserAgents: [],
  }),
  privacy: trackingPrivacyOverrideSchema
    .default({})
    .describe("The offer's overrides of the network's privacy settings (ip, user agent, consent, regions)"),
  defaultEvent: eventNameSchema,
  events: z.array(eventNameSchema).min(1).describe('Events the advertiser may post back'),
  attributionWindowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365),
  currency: currencySchema,
  postbackSecretSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .describe('SHA-256 (hex) of the postback secret; the secret itself never reaches the edge'),
  postbackIpAllowlist: z
    .array(ipRangeTextSchema)
    .max(100)
    .default([])
    .describe('When not empty, postbacks are accepted only from these addresses'),
  conversionSources: conversionSourcesSchema.nullable().default(null),
  campaigns: z
    .array(campaignAtEdgeSchema)
    .max(MAX_CAMPAIGNS_PER_OFFER)
    .default([])
    .describe(
      "The offer's campaigns: clicks with one of their creatives follow the campaign's schedule and budgets",
    ),
  creatives: z
    .array(creativeAtEdgeSchema)
    .max(MAX_CREATIVES_AT_EDGE)
    .default([])
    .describe(
      "The offer's creatives that ad tags rotate, per size by weight (those of its active campaigns); " +
        'each still follows its campaign in `campaigns`',
    ),
  fundsStopped: z
    .boolean()
    .default(false)
    .describe(
      "The advertiser's money in the offer's currency has run out (prepaid balance used up, or the " +
        'credit limit reached): clicks go to the fallback as budget_reached; postbacks still count',
    ),
  revision: z.number().int().min(0).describe('Increases with every change, to spot stale reads'),
});
export type OfferConfig = z.infer<typeof offerConfigSchema>;
/** What the control plane may publish: the defaulted fields may be left out. */
export type OfferConfigInput = z.input<typeof offerConfigSchema>;

export function offerConfigKey(offerId: number): string {
  return `offer:${offerId}`;
}
