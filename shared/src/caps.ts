import { z } from 'zod';
import { entityIdSchema } from './ids.ts';

const limit = z.number().int().min(0).nullable().default(null);

/** Limits over UTC calendar days and months. null: no limit. */
export const capLimitsSchema = z
  .object({
    dailyClicks: limit,
    monthlyClicks: limit,
    dailyConversions: limit,
    monthlyConversions: limit,
  })
  .describe('Click and conversion caps; null means uncapped');
export type CapLimits = z.infer<typeof capLimitsSchema>;

export const NO_CAPS: CapLimits = {
  dailyClicks: null,
  monthlyClicks: null,
  dailyConversions: null,
  monthlyConversions: null,
};

export const offerCapsSchema = z
  .object({
    offer: capLimitsSchema.default(NO_CAPS).describe('Across all affiliates'),
    perAffiliate: capLimitsSchema.default(NO_CAPS).describe('For each affiliate, unless overridden'),
    affiliateOverrides: z
      .array(z.object({ affiliateId: entityIdSchema, limits: capLimitsSchema }))
      .max(1000)
      .default([]),
  })
  .describe('Caps enforced at the edge');
export type OfferCaps = z.infer<typeof offerCapsSchema>;

/** The limits that apply to one affiliate on an offer. */
export function affiliateCapLimits(caps: OfferCaps, affiliateId: number): CapLimits {
  return caps.affiliateOverrides.find((o) => o.affiliateId === affiliateId)?.limits ?? caps.perAffiliate;
}

export function hasAnyCap(limits: CapLimits): boolean {
  return Object.values(limits).some((v) => v !== null);
}
