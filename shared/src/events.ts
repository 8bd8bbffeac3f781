import { z } from 'zod';
import { CLICK_ID_LENGTH } from './click-id.ts';
import { fraudFlagSchema } from './fraud-rules.ts';
import { entityIdSchema } from './ids.ts';
import { currencySchema, minorUnitsSchema } from './money.ts';
import { eventNameSchema } from './offer-config.ts';
import { countryCodeSchema, deviceTypeSchema, operatingSystemSchema } from './targeting.ts';

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
  'campaign_inactive',
  'budget_reached',
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
  creativeId: entityIdSchema.nullable(),
  landingPageId: entityIdSchema.nullable().describe('The landing page rotation picked, if any'),
  ip: text(45),
  userAgent: text(1024),
  country: countryCodeSchema.nullable(),
  device: deviceTypeSchema.nullable(),
  os: operatingSystemSchema.nullable(),
  referrer: text(2048),
  gclid: text(255),
  fbclid: text(512),
  msclkid: text(255),
  ttclid: text(255),
  outcome: z.enum(['redirect', 'fallback']),
  reason: clickReasonSchema.nullable(),
  fraudFlags: z.array(fraudFlagSchema).max(16),
  /** False for a duplicate click (same ip + offer + affiliate inside the offer's window). */
  unique: z.boolean(),
  source: z
    .enum(['redirect', 'script'])
    .describe('redirect: /c link; script: registered by /t.js on a direct visit'),
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
  fraudFlags: z.array(fraudFlagSchema).max(16),
  /** cap_reached: over the offer's conversion cap; stored, but not payable. */
  reason: z.enum(['cap_reached']).nullable(),
  ip: text(45),
  userAgent: text(1024),
});
export type ConversionEvent = z.infer<typeof conversionEventSchema>;

/**
 * An advertiser's later postback for a conversion already counted (same offer, event and txid)
 * that carries a status: the control plane moves the stored conversion to it.
 */
export const conversionStatusEventSchema = z.object({
  type: z.literal('conversion_status'),
  id: z.uuid().describe('Deterministic from (conversion id, status): retries are one event'),
  occurredAt: z.iso.datetime(),
  conversionId: z.uuid(),
  /** The click the postback named: the change applies only to a conversion of that click. */
  clickId: clickIdSchema,
  offerId: entityIdSchema,
  status: conversionStatusSchema,
});
export type ConversionStatusEvent = z.infer<typeof conversionStatusEventSchema>;

export const trackingEventSchema = z.discriminatedUnion('type', [
  clickEventSchema,
  conversionEventSchema,
  conversionStatusEventSchema,
]);
export type TrackingEvent = z.infer<typeof trackingEventSchema>;

/**
 * One Queue message: events the edge grouped before sending (see edge/src/queue/event-batcher.ts),
 * at most ~96 KB so it stays under the Queue's 128 KB message limit.
 */
export const eventEnvelopeSchema = z.object({ events: z.array(trackingEventSchema).min(1).max(500) });
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** Largest batch the ingest accepts (the consumer splits larger deliveries). */
export const MAX_INGEST_BATCH = 5000;

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
