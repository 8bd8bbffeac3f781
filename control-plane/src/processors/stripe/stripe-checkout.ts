import type Stripe from 'stripe';
import type { ProcessorResult } from '../processor-result.ts';
import { callStripe } from './stripe-errors.ts';

export type TopUpCheckoutRequest = {
  advertiserId: number;
  /** Integer minor units of `currency` (Stripe's "smallest currency unit"). */
  amountMinor: number;
  /** ISO 4217, any case. */
  currency: string;
  successUrl: string;
  cancelUrl: string;
  /** The top-up's own key in TAS: a retried request returns the same session. */
  idempotencyKey: string;
};

export type TopUpCheckout = { sessionId: string; url: string; amountMinor: number; currency: string };

/**
 * A Stripe-hosted payment page for an advertiser's prepaid top-up. The money is TAS's once
 * `checkout.session.completed` arrives with `payment_status: paid`; the advertiser id travels in
 * the session's metadata (and its PaymentIntent's) so that webhook can name whom to credit.
 */
export function createTopUpCheckoutSession(
  stripe: Stripe,
  request: TopUpCheckoutRequest,
): Promise<ProcessorResult<TopUpCheckout>> {
  const metadata = { advertiser_id: String(request.advertiserId), purpose: 'top_up' };
  return callStripe(async () => {
    const session = await stripe.checkout.sessions.create(
      {
        mode: 'payment',
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: request.currency.toLowerCase(),
              unit_amount: request.amountMinor,
              product_data: { name: 'Account balance top-up' },
            },
          },
        ],
        success_url: request.successUrl,
        cancel_url: request.cancelUrl,
        client_reference_id: `advertiser_${request.advertiserId}`,
        metadata,
        payment_intent_data: { metadata },
      },
      { idempotencyKey: request.idempotencyKey },
    );
    return {
      sessionId: session.id,
      url: session.url ?? '',
      amountMinor: session.amount_total ?? request.amountMinor,
      currency: (session.currency ?? request.currency).toUpperCase(),
    };
  });
}
