import { ApiError } from '../http/api-error.ts';
import type { Settings } from '../settings.ts';
import { createPayPalProcessor, type PayPalProcessor, paypalConfigOf } from './paypal/paypal-client.ts';
import { createStripeProcessor, type StripeProcessor, stripeConfigOf } from './stripe/stripe-client.ts';
import { createWebhookHandlers, type WebhookHandlers } from './webhook-handlers.ts';

/** The payment processors the app talks to; null when not configured (no keys in the settings). */
export type ProcessorDeps = {
  stripe: StripeProcessor | null;
  paypal: PayPalProcessor | null;
  webhookHandlers: WebhookHandlers;
};

/** Processors from the settings: each enabled only when its keys are set. */
export function processorsOf(settings: Settings, webhookHandlers = createWebhookHandlers()): ProcessorDeps {
  const stripe = stripeConfigOf(settings);
  const paypal = paypalConfigOf(settings);
  return {
    stripe: stripe ? createStripeProcessor(stripe) : null,
    paypal: paypal ? createPayPalProcessor(paypal) : null,
    webhookHandlers,
  };
}

export const noProcessors = (): ProcessorDeps => ({
  stripe: null,
  paypal: null,
  webhookHandlers: createWebhookHandlers(),
});

/** Stripe, or a 503 `processor_not_configured` for routes that need it. */
export function requireStripe(processors: ProcessorDeps): StripeProcessor {
  if (!processors.stripe) {
    throw new ApiError(
      'processor_not_configured',
      'Stripe is not configured on this network (STRIPE_SECRET_KEY).',
    );
  }
  return processors.stripe;
}

/** PayPal, or a 503 `processor_not_configured` for routes that need it. */
export function requirePayPal(processors: ProcessorDeps): PayPalProcessor {
  if (!processors.paypal) {
    throw new ApiError(
      'processor_not_configured',
      'PayPal is not configured on this network (PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET).',
    );
  }
  return processors.paypal;
}
