import { z } from 'zod';
import { CLICK_ID_LENGTH } from './click-id.ts';
import { entityIdSchema } from './ids.ts';
import { currencySchema, minorUnitsSchema } from './money.ts';
import { eventNameSchema } from './offer-config.ts';

/**
 * Events recorded at the edge and carried by the Queue to the control plane's ingest endpoint.
 * Both sides validate with these schemas; the ingest is idempotent by `id`.
 */
const text = (max: number) => z.string().max(max).nullable();

export const clickIdSchema = z
  .string()
  .length(CLICK_ID_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/)
  .describe('Signed click id (tracking contract, section 2)');

export const clickReasonSchema = z.enum([
  'offer_paused',
  'affiliate_not_approved',
  'cap_reached',
  'targeting_mismatch',
  'fraud',
]);
export type ClickReason = z.infer<typeof clickReasonSchema>;

export const clickEventSchema = z.object({
  type: z.literal('click'),
  id: clickIdSchema.describe('The click id is the event id'),
  occurredAt: z.iso.datetime(),
  offerId: entityIdSchema,
  affiliateId: entityIdSchema,
  sub1: text(255),
  sub2: text(255),
  sub3: text(255),
  sub4: text(255),
  sub5: text(255),
  sourceId: text(255),
  ip: text(45),
  userAgent: text(1024),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable(),
  referrer: text(2048),
  outcome: z.enum(['redirect', 'fallback']),
  reason: clickReasonSchema.nullable(),
  fraudFlags: z.array(z.string().max(64)).max(16),
});
export type ClickEvent = z.infer<typeof clickEventSchema>;

export const conversionStatusSchema = z.enum(['pending', 'approved', 'rejected']);

export const conversionEventSchema = z.object({
  type: z.literal('conversion'),
  id: z.uuid().describe('Conversion id; deterministic from (offer, event, txid) when a txid is given'),
  occurredAt: z.iso.datetime(),
  clickId: clickIdSchema,
  clickedAt: z.iso.datetime(),
  offerId: entityIdSchema,
  affiliateId: entityIdSchema,
  event: eventNameSchema,
  amountMinor: minorUnitsSchema.nullable(),
  currency: currencySchema.nullable(),
  txid: text(255),
  advertiserStatus: conversionStatusSchema.nullable(),
  source: z.enum(['postback', 'pixel']),
  ip: text(45),
  userAgent: text(1024),
});
export type ConversionEvent = z.infer<typeof conversionEventSchema>;

export const trackingEventSchema = z.discriminatedUnion('type', [clickEventSchema, conversionEventSchema]);
export type TrackingEvent = z.infer<typeof trackingEventSchema>;

/** Largest batch the ingest accepts; a Queue delivers at most 100 messages per batch. */
export const MAX_INGEST_BATCH = 1000;

export const ingestBatchSchema = z.object({
  events: z.array(trackingEventSchema).min(1).max(MAX_INGEST_BATCH),
});
export type IngestBatch = z.infer<typeof ingestBatchSchema>;

export const ingestResultSchema = z.object({
  received: z.number().int(),
  clicksInserted: z.number().int(),
  conversionsInserted: z.number().int(),
});
export type IngestResult = z.infer<typeof ingestResultSchema>;
