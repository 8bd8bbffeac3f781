import { Hono } from 'hono';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { readLimitedBody } from '../http/read-limited-body.ts';
import { verifyPayPalWebhook } from './paypal/paypal-webhooks.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { type IncomingProcessorEvent, receiveProcessorEvent } from './processor-event-store.ts';
import { verifyStripeWebhook } from './stripe/stripe-webhooks.ts';

// Stripe's and PayPal's events are a few kB; a megabyte is far above any real one.
const MAX_WEBHOOK_BYTES = 1024 * 1024;

export type WebhookRouteDeps = { db: Database; processors: ProcessorDeps };

function log(entry: Record<string, unknown>) {
  // Ids and types only: payloads carry payees' emails, and headers carry signatures.
  console.log(JSON.stringify({ msg: 'processor webhook', ...entry }));
}

/**
 * `POST /webhooks/stripe` and `POST /webhooks/paypal`: no credentials, but nothing is stored
 * before the delivery is verified (Stripe: the signature on the raw body; PayPal: PayPal's own
 * verify call). Answers 200 once the event is stored and processed, or was already (a replay);
 * 400 `invalid_webhook_signature` for a delivery that does not verify; 500 when the handler
 * failed (the processor delivers again); 503 when the processor is not configured or PayPal
 * cannot verify right now.
 */
export function webhookRoutes(deps: WebhookRouteDeps) {
  async function receive(event: IncomingProcessorEvent) {
    const result = await receiveProcessorEvent(deps.db, deps.processors.webhookHandlers, event);
    log({ processor: event.processor, eventId: event.eventId, type: event.type, outcome: result.outcome });
    if (result.outcome === 'failed') {
      throw new ApiError(
        'webhook_handler_failed',
        'The event is stored but could not be processed; deliver it again.',
      );
    }
    return { received: true, outcome: result.outcome };
  }

  return new Hono()
    .post('/stripe', async (c) => {
      const stripe = deps.processors.stripe;
      if (!stripe?.webhookSecret) {
        throw new ApiError(
          'processor_not_configured',
          'Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET).',
        );
      }
      const body = await readLimitedBody(c.req.raw, MAX_WEBHOOK_BYTES);
      const check = verifyStripeWebhook(
        stripe.client,
        stripe.webhookSecret,
        body,
        c.req.header('stripe-signature'),
      );
      if (!check.ok) {
        log({ processor: 'stripe', refused: check.reason });
        throw new ApiError(
          check.problem === 'signature' ? 'invalid_webhook_signature' : 'invalid_request',
          `Stripe webhook refused: ${check.reason}.`,
        );
      }
      return c.json(await receive(check.event));
    })
    .post('/paypal', async (c) => {
      const paypal = deps.processors.paypal;
      if (!paypal?.webhookId) {
        throw new ApiError(
          'processor_not_configured',
          'PayPal webhooks are not configured (PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_WEBHOOK_ID).',
        );
      }
      const body = await readLimitedBody(c.req.raw, MAX_WEBHOOK_BYTES);
      const verification = await verifyPayPalWebhook(
        paypal,
        paypal.webhookId,
        (name) => c.req.header(name),
        body,
      );
      if (!verification.ok) {
        log({ processor: 'paypal', unverified: verification.failure.message });
        throw new ApiError(
          verification.failure.kind === 'unavailable' ? 'processor_unavailable' : 'processor_not_configured',
          verification.failure.kind === 'unavailable'
            ? 'PayPal cannot verify the delivery right now; deliver it again later.'
            : `PayPal refused to verify the delivery (${verification.failure.code ?? verification.failure.kind}): check PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID.`,
        );
      }
      if (!verification.value.verified) {
        const { problem, reason } = verification.value;
        log({ processor: 'paypal', refused: reason });
        throw new ApiError(
          problem === 'signature' ? 'invalid_webhook_signature' : 'invalid_request',
          `PayPal webhook refused: ${reason}.`,
        );
      }
      return c.json(await receive(verification.value.event));
    });
}
