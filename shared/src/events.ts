import { z } from 'zod';
import { CLICK_ID_LENGTH } from './click-id.ts';
import { consentSignalsSchema } from './consent.ts';
import { customerHashesSchema } from './customer-data.ts';
import { fraudFlagSchema } from './fraud-rules.ts';
import { entityIdSchema } from './ids.ts';
import { currencySchema, exchangeRateTextSchema, saleAmountMinorSchema } from './money.ts';
import { eventNameSchema } from './offer-config.ts';
import { countryCodeSchema, deviceTypeSchema, operatingSystemSchema } from './targeting.ts';

/**
 * Events recorded at the edge and carried by the Queue to the control plane's ingest endpoint.
 * Both sides validate with these schemas; the ingest is idempotent by `id`. The bounds are the
 * database's own (integer ids, bigint money, text without NUL): an event that passes them can be
 * stored, and one that does not is quarantined alone, never holding back the rest of its batch.
 */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL (U+0000)')
    .nullable();

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

export { type AdConsent, adConsentSchema } from './consent.ts';

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
  // Added with issue 12: events queued by an older edge lack them, hence the defaults.
  gbraid: text(255).default(null),
  wbraid: text(255).default(null),
  // consent, gdpr, gdprConsent, adUserData, adPersonalization (issues 12 and 14).
  ...consentSignalsSchema.shape,
  outcome: z.enum(['redirect', 'fallback']),
  reason: clickReasonSchema.nullable(),
  fraudFlags: z.array(fraudFlagSchema).max(16),
  /** False for a duplicate click (same ip + offer + affiliate inside the offer's window). */
  unique: z.boolean(),
  source: z
    .enum(['redirect', 'script'])
    .describe('redirect: /c link; script: registered by /t.js on a direct visit'),
  // Counters the edge could not reach while deciding the click (issue 13). Booleans beside
  // `reason`, not new `reason` values or fraud flags: those are enums, and a control plane older
  // than these fields would quarantine every such click, while zod drops keys it does not know,
  // so an older control plane stores the click as before (a cap_reached fallback, unchecked click)
  // whichever side is upgraded first. Events of an older edge lack them, hence the defaults.
  capCounterUnavailable: z
    .boolean()
    .default(false)
    .describe(
      'The cap counter could not be reached: caps fail closed, so the click went to the fallback as cap_reached without the cap being known to be reached',
    ),
  fraudCounterUnavailable: z
    .boolean()
    .default(false)
    .describe(
      'The fraud counters could not be reached: they fail open, so the click was not checked for duplicates or ip velocity',
    ),
});
export type ClickEvent = z.infer<typeof clickEventSchema>;

export const conversionStatusSchema = z.enum(['pending', 'approved', 'rejected']);

/** Another conversion of the same order, by its id and its click. */
const claimRefSchema = z.object({ conversionId: z.uuid(), clickId: clickIdSchema });

/**
 * Why the edge recorded a conversion that cannot earn (stored rejected, visible, not payable):
 * cap_reached: over the offer's conversion cap; click_not_payable: its click was sent to the
 * fallback (paused, not approved, cap, fraud, targeting, budget); affiliate_inactive and
 * affiliate_not_approved: judged at conversion time, not only at the click.
 */
export const conversionRejectionSchema = z.enum([
  'cap_reached',
  'click_not_payable',
  'affiliate_inactive',
  'affiliate_not_approved',
]);
export type ConversionRejection = z.infer<typeof conversionRejectionSchema>;

export const conversionEventSchema = z.object({
  type: z.literal('conversion'),
  id: z.uuid().describe('Conversion id; deterministic from (offer, event, txid) when a txid is given'),
  occurredAt: z.iso.datetime(),
  clickId: clickIdSchema,
  clickedAt: z.iso.datetime(),
  offerId: entityIdSchema,
  affiliateId: entityIdSchema,
  event: eventNameSchema,
  amountMinor: saleAmountMinorSchema
    .nullable()
    .describe("Sale amount in `currency`, the offer's currency (converted when it was sent in another)"),
  currency: currencySchema.nullable(),
  sentAmountMinor: saleAmountMinorSchema
    .nullable()
    .default(null)
    .describe('The amount as the advertiser sent it, when it was in another currency'),
  sentCurrency: currencySchema.nullable().default(null),
  exchangeRate: exchangeRateTextSchema
    .nullable()
    .default(null)
    .describe('The configured rate that converted sentCurrency into currency'),
  txid: text(255),
  advertiserStatus: conversionStatusSchema.nullable(),
  source: z.enum(['postback', 'pixel']),
  fraudFlags: z.array(fraudFlagSchema).max(16),
  reason: conversionRejectionSchema.nullable(),
  supersedes: z
    .array(claimRefSchema)
    .max(32)
    .default([])
    .describe('Untrusted conversions that claimed this txid first: this trusted postback rejects them'),
  holds: z
    .array(claimRefSchema)
    .max(32)
    .default([])
    .describe('Untrusted conversions of other clicks claiming this txid too: held for review with this one'),
  ip: text(45),
  userAgent: text(1024),
  customerHashes: customerHashesSchema
    .nullable()
    .default(null)
    .describe('The email and phone the advertiser sent, hashed at the edge for ad platforms'),
  // The consent parameters of the pixel or postback itself; the click's fill the gaps at ingest.
  ...consentSignalsSchema.shape,
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
  trusted: z
    .boolean()
    .default(true)
    .describe(
      'Sent by a trusted postback (offer secret or ip allowlist): only those approve what is held for review',
    ),
});
export type ConversionStatusEvent = z.infer<typeof conversionStatusEventSchema>;

export const trackingEventSchema = z.discriminatedUnion('type', [
  clickEventSchema,
  conversionEventSchema,
  conversionStatusEventSchema,
]);
export type TrackingEvent = z.infer<typeof trackingEventSchema>;

export const MAX_ENVELOPE_EVENTS = 500;

/**
 * One Queue message: events the edge grouped before sending (see edge/src/queue/event-batcher.ts),
 * at most ~96 KB of UTF-8 so it stays under the Queue's 128 KB message limit.
 */
export const eventEnvelopeSchema = z.object({
  events: z.array(trackingEventSchema).min(1).max(MAX_ENVELOPE_EVENTS),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/**
 * A Queue message as the consumer first reads it: an envelope whose events are not judged yet.
 * One bad event must not hold back the other events of its message, so each is validated alone
 * (by the ingest, which quarantines the bad ones).
 */
export const looseEnvelopeSchema = z.object({
  events: z.array(z.unknown()).min(1).max(MAX_ENVELOPE_EVENTS),
});

/** Largest batch the ingest accepts, in events and in bytes (the consumer splits larger ones). */
export const MAX_INGEST_BATCH = 5000;
export const MAX_INGEST_BYTES = 8 * 1024 * 1024;

/** What the ingest endpoint takes: events are validated one by one, not as a batch. */
export const ingestRequestSchema = z.object({
  events: z.array(z.unknown()).min(1).max(MAX_INGEST_BATCH),
  canDefer: z
    .boolean()
    .default(false)
    .describe(
      'The sender sends again, later, the conversions answered `deferred`: the ingest may hold back a conversion whose recent click has not arrived yet',
    ),
});

/** A batch whose events all passed validation: what the ingest stores. */
export const ingestBatchSchema = z.object({
  events: z.array(trackingEventSchema).min(1).max(MAX_INGEST_BATCH),
});
export type IngestBatch = z.infer<typeof ingestBatchSchema>;

export const ingestResultSchema = z.object({
  received: z.number().int(),
  clicksInserted: z.number().int(),
  conversionsInserted: z.number().int(),
  quarantined: z
    .number()
    .int()
    .default(0)
    .describe('Events refused (invalid, or refused by the database) and kept apart with their reason'),
  deferred: z
    .array(z.string())
    .default([])
    .describe(
      'Ids of conversions held back for their click (only when the batch said canDefer): send them again later',
    ),
});
export type IngestResult = z.infer<typeof ingestResultSchema>;
