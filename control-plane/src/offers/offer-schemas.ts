import { entityIdSchema } from '@tas/shared/ids';
import { currencySchema, minorUnitsSchema } from '@tas/shared/money';
import { eventNameSchema, httpUrlSchema, offerVisibilitySchema } from '@tas/shared/offer-config';
import { z } from 'zod';

export const offerStatusSchema = z.enum(['draft', 'active', 'paused', 'archived']);
export const payoutTypeSchema = z.enum(['cpc', 'cpa', 'cpl', 'cps', 'revshare']);
const basisPoints = z
  .number()
  .int()
  .min(0)
  .max(10_000)
  .describe('Basis points of the sale amount (100 = 1%)');

export const offerCreateRequestSchema = z
  .object({
    advertiserId: entityIdSchema,
    name: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).nullish(),
    payoutType: payoutTypeSchema,
    payoutMinor: minorUnitsSchema.min(0).default(0),
    payoutBps: basisPoints.default(0),
    revenueMinor: minorUnitsSchema.min(0).default(0),
    revenueBps: basisPoints.default(0),
    currency: currencySchema.default('USD'),
    status: offerStatusSchema.default('draft'),
    visibility: offerVisibilitySchema.default('public'),
    destinationUrl: httpUrlSchema,
    previewUrl: httpUrlSchema.nullish(),
    fallbackUrl: httpUrlSchema.nullish(),
    defaultEvent: eventNameSchema.default('conversion'),
    events: z.array(eventNameSchema).min(1).max(50).default(['conversion']),
    attributionWindowHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .default(720),
    postbackSecret: z.string().min(8).max(128).nullish(),
  })
  .refine((o) => o.events.includes(o.defaultEvent), {
    message: 'defaultEvent must be one of events',
    path: ['defaultEvent'],
  })
  .describe('A new offer');
export type OfferCreateRequest = z.input<typeof offerCreateRequestSchema>;

export const offerUpdateRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).nullable(),
    payoutType: payoutTypeSchema,
    payoutMinor: minorUnitsSchema.min(0),
    payoutBps: basisPoints,
    revenueMinor: minorUnitsSchema.min(0),
    revenueBps: basisPoints,
    status: offerStatusSchema,
    visibility: offerVisibilitySchema,
    destinationUrl: httpUrlSchema,
    previewUrl: httpUrlSchema.nullable(),
    fallbackUrl: httpUrlSchema.nullable(),
    defaultEvent: eventNameSchema,
    events: z.array(eventNameSchema).min(1).max(50),
    attributionWindowHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365),
    postbackSecret: z.string().min(8).max(128).nullable(),
  })
  .partial()
  .describe('Fields of an offer to change');
export type OfferUpdateRequest = z.input<typeof offerUpdateRequestSchema>;
