import { z } from 'zod';
import type { IncomingProcessorEvent } from '../processor-event-store.ts';
import { failed, ok, type ProcessorResult } from '../processor-result.ts';
import { type PayPalProcessor, paypalFailure } from './paypal-client.ts';

/** The transmission headers PayPal sends with every webhook delivery. */
export const PAYPAL_TRANSMISSION_HEADERS = {
  authAlgo: 'paypal-auth-algo',
  certUrl: 'paypal-cert-url',
  transmissionId: 'paypal-transmission-id',
  transmissionSig: 'paypal-transmission-sig',
  transmissionTime: 'paypal-transmission-time',
} as const;

/** A webhook event as PayPal sends it (only what TAS reads is required). */
export const paypalWebhookEventSchema = z.object({
  id: z.string().min(1).max(255),
  event_type: z.string().min(1).max(255),
  create_time: z.string().optional(),
  resource_type: z.string().optional(),
  resource: z.record(z.string(), z.unknown()).default({}),
});
export type PayPalWebhookEvent = z.infer<typeof paypalWebhookEventSchema>;

export type PayPalVerification =
  | { verified: true; event: IncomingProcessorEvent }
  | { verified: false; problem: 'signature' | 'payload'; reason: string };

/**
 * Verifies a delivery the way PayPal documents for REST apps: by asking PayPal
 * (`POST /v1/notifications/verify-webhook-signature`) with the transmission headers, our
 * webhook id and the event. `verified: false` is a refusal (forged, tampered, another webhook's);
 * a failure is PayPal not answering, to be retried (the delivery gets a 503 and comes again).
 */
export async function verifyPayPalWebhook(
  paypal: PayPalProcessor,
  webhookId: string,
  headers: (name: string) => string | undefined,
  rawBody: string,
): Promise<ProcessorResult<PayPalVerification>> {
  const h = PAYPAL_TRANSMISSION_HEADERS;
  const values = {
    auth_algo: headers(h.authAlgo),
    cert_url: headers(h.certUrl),
    transmission_id: headers(h.transmissionId),
    transmission_sig: headers(h.transmissionSig),
    transmission_time: headers(h.transmissionTime),
  };
  const absent = Object.entries(values).find(([, v]) => !v);
  if (absent)
    return ok({ verified: false, problem: 'signature', reason: `the ${absent[0]} header is missing` });
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return ok({ verified: false, problem: 'payload', reason: 'the body is not JSON' });
  }
  const event = paypalWebhookEventSchema.safeParse(json);
  if (!event.success) {
    return ok({ verified: false, problem: 'payload', reason: 'the body is not a PayPal webhook event' });
  }
  const response = await paypal.call('POST', '/v1/notifications/verify-webhook-signature', {
    ...values,
    webhook_id: webhookId,
    webhook_event: json,
  });
  if (!response.ok) return response;
  if (response.value.status !== 200) return failed(paypalFailure(response.value));
  const answer = z.object({ verification_status: z.string() }).safeParse(response.value.body);
  if (answer.success && answer.data.verification_status === 'SUCCESS') {
    return ok({ verified: true, event: incomingEvent(event.data, json) });
  }
  return ok({ verified: false, problem: 'signature', reason: 'PayPal did not confirm the signature' });
}

/** The event as TAS stores it: the object it is about is the payout item, else the batch. */
function incomingEvent(event: PayPalWebhookEvent, payload: unknown): IncomingProcessorEvent {
  const resource = event.resource;
  const batchHeader = z.object({ payout_batch_id: z.string() }).safeParse(resource.batch_header);
  const objectId =
    [resource.payout_item_id, resource.id].find((v): v is string => typeof v === 'string') ??
    (batchHeader.success ? batchHeader.data.payout_batch_id : null);
  const occurred = event.create_time ? new Date(event.create_time) : null;
  return {
    processor: 'paypal',
    eventId: event.id,
    type: event.event_type,
    objectId,
    occurredAt: occurred && !Number.isNaN(occurred.getTime()) ? occurred : null,
    payload,
  };
}
