import { z } from 'zod';
import { entityIdSchema } from './ids.ts';
import { currencySchema } from './money.ts';

/** Only http(s) destinations: a `javascript:` or `data:` URL in a Location header is an attack. */
export const httpUrlSchema = z
  .url({ protocol: /^https?$/, hostname: z.regexes.domain })
  .max(2048)
  .describe('An absolute http(s) URL; may contain {macros}');

export const offerStatusAtEdgeSchema = z
  .enum(['active', 'paused'])
  .describe('Drafts and archived offers are not published to the edge at all');

export const offerVisibilitySchema = z
  .enum(['public', 'approval_required', 'private'])
  .describe('public: any active affiliate may run it; otherwise only approved affiliates');

export const eventNameSchema = z
  .string()
  .regex(/^[a-z0-9_]{1,64}$/, 'lowercase letters, digits and _')
  .describe('A conversion event name, e.g. conversion, lead, sale');

/**
 * The slim projection of an offer that the edge reads from KV (key `offer:{id}`) on every click
 * and postback. Written only by the control plane; validated again by the edge on read.
 */
export const offerConfigSchema = z.object({
  id: entityIdSchema,
  status: offerStatusAtEdgeSchema,
  destinationUrl: httpUrlSchema,
  fallbackUrl: httpUrlSchema.nullable(),
  visibility: offerVisibilitySchema,
  approvedAffiliateIds: z.array(entityIdSchema).describe('Affiliates approved to run a non-public offer'),
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
  revision: z.number().int().min(0).describe('Increases with every change, to spot stale reads'),
});
export type OfferConfig = z.infer<typeof offerConfigSchema>;

export function offerConfigKey(offerId: number): string {
  return `offer:${offerId}`;
}
