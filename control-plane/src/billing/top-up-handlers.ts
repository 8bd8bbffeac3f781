import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import type { ProcessorEvent } from '../db/schema/processor-events.ts';
import { topUps } from '../db/schema/top-ups.ts';
import { advertiserAccount } from '../ledger/ledger-accounts.ts';
import { postTransfers } from '../ledger/post-transfer.ts';
import { checkoutTopUpOf } from '../processors/stripe/stripe-event-objects.ts';
import type { WebhookHandlers } from '../processors/webhook-handlers.ts';

/** Stripe's cash account: what Stripe holds for the network. */
const stripeCash = (currency: string) => ({ kind: 'processor_cash' as const, ownerId: 'stripe', currency });

/**
 * `checkout.session.completed` and `...async_payment_succeeded`: a paid top-up credits the
 * advertiser (and debits Stripe's cash) once, keyed by the session, whichever of the two events
 * comes first or however often; an unpaid completion (a bank debit still on its way) waits for
 * the second. The top-up row moves forward to paid.
 */
async function onCheckoutPaid(tx: Database, event: ProcessorEvent): Promise<void> {
  const topUp = checkoutTopUpOf(event);
  if (!topUp?.paid) return;
  await postTransfers(tx, [
    {
      idempotencyKey: `top_up:${topUp.sessionId}`,
      kind: 'top_up',
      memo: `Stripe Checkout ${topUp.sessionId}`,
      entries: [
        { account: stripeCash(topUp.currency), layer: 'posted', amountMinor: topUp.amountMinor },
        {
          account: advertiserAccount(topUp.advertiserId, topUp.currency),
          layer: 'posted',
          amountMinor: -topUp.amountMinor,
        },
      ],
    },
  ]);
  await tx
    .update(topUps)
    .set({ status: 'paid', settledAt: sql`coalesce(${topUps.settledAt}, now())`, failure: null })
    .where(and(eq(topUps.checkoutSessionId, topUp.sessionId), sql`${topUps.status} <> 'paid'`));
}

/** `checkout.session.expired` / `...async_payment_failed`: an open top-up ends unpaid (never a paid one). */
function onCheckoutEnded(status: 'expired' | 'failed') {
  return async (tx: Database, event: ProcessorEvent): Promise<void> => {
    const topUp = checkoutTopUpOf(event);
    if (!topUp) return;
    await tx
      .update(topUps)
      .set({ status, settledAt: new Date() })
      .where(and(eq(topUps.checkoutSessionId, topUp.sessionId), eq(topUps.status, 'open')));
  };
}

const HANDLERS = [
  ['checkout.session.completed', onCheckoutPaid],
  ['checkout.session.async_payment_succeeded', onCheckoutPaid],
  ['checkout.session.expired', onCheckoutEnded('expired')],
  ['checkout.session.async_payment_failed', onCheckoutEnded('failed')],
] as const;

/** Registers the top-up handlers on the webhook registry (once, however often the app is built). */
export function registerTopUpHandlers(handlers: WebhookHandlers): void {
  for (const [type, handler] of HANDLERS) {
    if (!handlers.handlerFor('stripe', type)) handlers.on('stripe', type, handler);
  }
}
