import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import type { ProcessorEvent } from '../db/schema/processor-events.ts';
import { topUps } from '../db/schema/top-ups.ts';
import { advertiserAccount } from '../ledger/ledger-accounts.ts';
import { postTransfers } from '../ledger/post-transfer.ts';
import { checkoutTopUpOf } from '../processors/stripe/stripe-event-objects.ts';
import type { WebhookHandlers } from '../processors/webhook-handlers.ts';
import { type FundsDeps, syncFundsStateLogged } from './funds-stop.ts';

/** Stripe's cash account: what Stripe holds for the network. */
const stripeCash = (currency: string) => ({ kind: 'processor_cash' as const, ownerId: 'stripe', currency });

/** What a credited top-up needs to restart offers stopped for want of money. */
export type TopUpFundsDeps = Omit<FundsDeps, 'db'>;

/**
 * `checkout.session.completed` and `...async_payment_succeeded`: a paid top-up credits the
 * advertiser (and debits Stripe's cash) once, keyed by the session, whichever of the two events
 * comes first or however often; an unpaid completion (a bank debit still on its way) waits for
 * the second. The top-up row moves forward to paid, and the advertiser's funds are re-evaluated so
 * that offers stopped for want of money serve again.
 */
const onCheckoutPaid = (funds: TopUpFundsDeps | undefined) => async (tx: Database, event: ProcessorEvent) => {
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
  // In a savepoint of the webhook's transaction: an edge that refuses undoes only the funds state
  // (the sweep publishes it later), never the credit. Were the credit itself to roll back after
  // this published, the event stays unprocessed and its retry evaluates again.
  if (funds) await syncFundsStateLogged({ db: tx, ...funds }, [topUp.advertiserId], new Date());
};

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

const handlersOf = (funds: TopUpFundsDeps | undefined) =>
  [
    ['checkout.session.completed', onCheckoutPaid(funds)],
    ['checkout.session.async_payment_succeeded', onCheckoutPaid(funds)],
    ['checkout.session.expired', onCheckoutEnded('expired')],
    ['checkout.session.async_payment_failed', onCheckoutEnded('failed')],
  ] as const;

/**
 * Registers the top-up handlers on the webhook registry (once, however often the app is built);
 * `funds` republishes offers a credit restarts.
 */
export function registerTopUpHandlers(handlers: WebhookHandlers, funds?: TopUpFundsDeps): void {
  for (const [type, handler] of handlersOf(funds)) {
    if (!handlers.handlerFor('stripe', type)) handlers.on('stripe', type, handler);
  }
}
