import { createPayPalProcessor } from '../src/processors/paypal/paypal-client.ts';
import type { ProcessorDeps } from '../src/processors/processor-deps.ts';
import { createStripeProcessor } from '../src/processors/stripe/stripe-client.ts';
import { createWebhookHandlers, type WebhookHandlers } from '../src/processors/webhook-handlers.ts';
import { startPayPalFake } from './fakes/paypal-fake.ts';
import { startStripeFake } from './fakes/stripe-fake.ts';

/** The Stripe and PayPal fakes, and processors configured for them as the settings would. */
export async function startProcessorFakes() {
  const stripe = await startStripeFake();
  const paypal = await startPayPalFake();
  return {
    stripe,
    paypal,
    processors(webhookHandlers: WebhookHandlers = createWebhookHandlers()): ProcessorDeps {
      return {
        stripe: createStripeProcessor({
          secretKey: stripe.secretKey,
          webhookSecret: stripe.webhookSecret,
          apiBase: stripe.url,
          maxNetworkRetries: 0,
        }),
        paypal: createPayPalProcessor({
          apiBase: paypal.url,
          clientId: paypal.clientId,
          clientSecret: paypal.clientSecret,
          webhookId: paypal.webhookId,
        }),
        webhookHandlers,
      };
    },
    close: () => Promise.all([stripe.close(), paypal.close()]),
  };
}
export type ProcessorFakes = Awaited<ReturnType<typeof startProcessorFakes>>;
