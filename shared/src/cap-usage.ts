import { z } from 'zod';
import { entityIdSchema } from './ids.ts';

/**
 * Reading the edge's cap counters (`POST /internal/caps`, signed like configuration publishing):
 * the control plane asks for an offer and some of its affiliates and gets how much of each
 * scope's daily and monthly caps is used. Counters exist only for scopes that have a cap.
 */
export const capUsageRequestSchema = z.object({
  offerId: entityIdSchema,
  affiliateIds: z.array(entityIdSchema).max(1000).default([]),
  /** The UTC day and month to read; the current ones when left out. */
  at: z.iso.datetime().optional(),
});
export type CapUsageRequest = z.input<typeof capUsageRequestSchema>;

const usedSchema = z.object({ daily: z.number().int().min(0), monthly: z.number().int().min(0) });

export const scopeUsageSchema = z.object({ clicks: usedSchema, conversions: usedSchema });
export type ScopeUsage = z.infer<typeof scopeUsageSchema>;

export const capUsageResponseSchema = z.object({
  offerId: entityIdSchema,
  day: z.iso.date(),
  month: z.string().regex(/^\d{4}-\d{2}$/),
  offer: scopeUsageSchema,
  affiliates: z.array(z.object({ affiliateId: entityIdSchema, used: scopeUsageSchema })),
});
export type CapUsageResponse = z.infer<typeof capUsageResponseSchema>;
