import Stripe from 'stripe';
import { z } from 'zod';
import type { IncomingProcessorEvent } from '../processor-event-store.ts';

/** Stripe's documented default: a signature older than five minutes is refused (replays). */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

const stripeEventSchema = z.object({
  id: z.string().regex(/^evt_[A-Za-z0-9_]+$/),
  type: z.string().min(1).max(255),
  created: z.number().int(),
  /** Set on Connect events: the connected account the object belongs to. */
  account: z.string().optional(),
  data: z.object({ object: z.object({ id: z.string().optional() }).passthrough() }),
});

/** Refused for its signature (forged, tampered, stale) or, signed, for not being an event. */
export type StripeWebhookCheck =
  | { ok: true; event: IncomingProcessorEvent }
  | { ok: false; problem: 'signature' | 'payload'; reason: string };

/**
 * Verifies a delivery on its raw bytes with the endpoint's signing secret (Stripe-Signature,
 * HMAC-SHA256 over `timestamp.body`, 300 s tolerance) through the SDK, then reads the event.
 */
export function verifyStripeWebhook(
  stripe: Stripe,
  secret: string,
  rawBody: string,
  signature: string | undefined,
  receivedAt: Date = new Date(),
): StripeWebhookCheck {
  if (!signature)
    return { ok: false, problem: 'signature', reason: 'the Stripe-Signature header is missing' };
  let event: unknown;
  try {
    event = stripe.webhooks.constructEvent(
      rawBody,
      signature,
      secret,
      STRIPE_WEBHOOK_TOLERANCE_SECONDS,
      undefined,
      receivedAt.getTime(),
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      return { ok: false, problem: 'signature', reason: error.message.split('\n')[0] ?? 'signature refused' };
    }
    return { ok: false, problem: 'payload', reason: 'the body is not a Stripe event' };
  }
  const parsed = stripeEventSchema.safeParse(event);
  if (!parsed.success) return { ok: false, problem: 'payload', reason: 'the body is not a Stripe event' };
  return {
    ok: true,
    event: {
      processor: 'stripe',
      eventId: parsed.data.id,
      type: parsed.data.type,
      objectId: parsed.data.data.object.id ?? null,
      occurredAt: new Date(parsed.data.created * 1000),
      payload: event,
    },
  };
}
