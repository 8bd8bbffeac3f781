import type Stripe from 'stripe';
import type { ProcessorResult } from '../processor-result.ts';
import { callStripe } from './stripe-errors.ts';
import { listAll } from './stripe-lists.ts';

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

/** A Checkout Session as Stripe has it: what a top-up's credit is compared with. */
export type CheckoutSessionRecord = {
  id: string;
  amountMinor: number | null;
  /** ISO 4217, upper case. */
  currency: string | null;
  /** paid, unpaid or no_payment_required. */
  paymentStatus: string;
  /** TAS's sessions say `top_up` in their metadata; others are not TAS's. */
  purpose: string | null;
  createdAt: Date;
};

const sessionRecordOf = (session: Stripe.Checkout.Session): CheckoutSessionRecord => ({
  id: session.id,
  amountMinor: session.amount_total,
  currency: session.currency?.toUpperCase() ?? null,
  paymentStatus: session.payment_status,
  purpose: session.metadata?.purpose ?? null,
  createdAt: new Date(session.created * 1000),
});

export function readCheckoutSession(
  stripe: Stripe,
  sessionId: string,
): Promise<ProcessorResult<CheckoutSessionRecord>> {
  return callStripe(async () => sessionRecordOf(await stripe.checkout.sessions.retrieve(sessionId)));
}

/** Every Checkout Session created since `createdSince`, newest first, all pages. */
export function listCheckoutSessions(
  stripe: Stripe,
  createdSince: Date,
): Promise<ProcessorResult<CheckoutSessionRecord[]>> {
  const created = { gte: Math.floor(createdSince.getTime() / 1000) };
  return listAll((page) => stripe.checkout.sessions.list({ ...page, created }), sessionRecordOf);
}
