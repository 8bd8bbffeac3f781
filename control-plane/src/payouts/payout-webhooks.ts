import { eq } from 'drizzle-orm';
import { affiliatePayoutSettings } from '../db/schema/payouts.ts';
import { payoutItemEventOf } from '../processors/paypal/paypal-event-objects.ts';
import { connectedAccountEventOf, transferEventOf } from '../processors/stripe/stripe-event-objects.ts';
import type { WebhookHandler, WebhookHandlers } from '../processors/webhook-handlers.ts';
import { isUuid, type PayoutOutcome, settlePayout } from './payout-settlement.ts';

/**
 * A Connect transfer taken back (`transfer.reversed`) or failed: the money is the network's again
 * and owed to the affiliate. The transfer carries the payout's id as its TAS key.
 */
const stripeTransferBack: WebhookHandler = async (tx, event) => {
  const transfer = transferEventOf(event);
  if (!transfer || !isUuid(transfer.tasKey)) return;
  // Only a full reversal undoes the payout; a partial one is an admin's correction.
  if (event.type === 'transfer.reversed' && transfer.amountReversedMinor < transfer.amountMinor) return;
  await settlePayout(tx, transfer.tasKey, {
    kind: 'failed',
    reason: event.type === 'transfer.reversed' ? 'Stripe transfer reversed' : 'Stripe transfer failed',
    reference: transfer.transferId,
  });
};

/** Whether Stripe now pays out the affiliate's connected account (account not ready otherwise). */
const stripeAccountUpdated: WebhookHandler = async (tx, event) => {
  const account = connectedAccountEventOf(event);
  if (!account) return;
  await tx
    .update(affiliatePayoutSettings)
    .set({ stripePayoutsEnabled: account.payoutsEnabled, updatedAt: new Date() })
    .where(eq(affiliatePayoutSettings.stripeAccountId, account.accountId));
};

const PAYPAL_OUTCOMES: Record<string, (error: string | null) => PayoutOutcome | null> = {
  SUCCESS: () => ({ kind: 'paid' }),
  FAILED: (e) => ({ kind: 'failed', reason: `PayPal item failed${e ? ` (${e})` : ''}` }),
  RETURNED: (e) => ({ kind: 'failed', reason: `PayPal item returned${e ? ` (${e})` : ''}` }),
  BLOCKED: (e) => ({ kind: 'failed', reason: `PayPal item blocked${e ? ` (${e})` : ''}` }),
  DENIED: (e) => ({ kind: 'failed', reason: `PayPal item denied${e ? ` (${e})` : ''}` }),
  REFUNDED: () => ({ kind: 'failed', reason: 'PayPal item refunded' }),
  REVERSED: () => ({ kind: 'failed', reason: 'PayPal item reversed' }),
  // Unclaimed: the receiver has no PayPal account yet; PayPal returns it after 30 days (RETURNED).
  UNCLAIMED: () => null,
};

/**
 * A PayPal payout item's news. Decided from the item's status in the payload, moved only forward
 * (settlePayout ignores a success after a failure and a failure twice), keyed by sender_item_id,
 * the payout's id.
 */
const paypalItem: WebhookHandler = async (tx, event) => {
  const item = payoutItemEventOf(event);
  if (!item || !isUuid(item.senderItemId)) return;
  const outcome = PAYPAL_OUTCOMES[item.status]?.(item.error);
  if (!outcome) return;
  await settlePayout(tx, item.senderItemId, { ...outcome, reference: item.payoutItemId });
};

/**
 * The payouts' handlers on the processors' registry (decision 023); a registry that has them
 * already (an app built twice on one registry) is left as it is.
 */
export function registerPayoutWebhooks(handlers: WebhookHandlers): WebhookHandlers {
  const on = (processor: 'stripe' | 'paypal', type: string, handler: WebhookHandler) => {
    if (!handlers.handlerFor(processor, type)) handlers.on(processor, type, handler);
  };
  on('stripe', 'transfer.reversed', stripeTransferBack);
  on('stripe', 'transfer.failed', stripeTransferBack);
  on('stripe', 'account.updated', stripeAccountUpdated);
  for (const type of [
    'PAYMENT.PAYOUTS-ITEM.SUCCEEDED',
    'PAYMENT.PAYOUTS-ITEM.FAILED',
    'PAYMENT.PAYOUTS-ITEM.RETURNED',
    'PAYMENT.PAYOUTS-ITEM.UNCLAIMED',
    'PAYMENT.PAYOUTS-ITEM.BLOCKED',
    'PAYMENT.PAYOUTS-ITEM.DENIED',
    'PAYMENT.PAYOUTS-ITEM.REFUNDED',
    'PAYMENT.PAYOUTS-ITEM.REVERSED',
  ]) {
    on('paypal', type, paypalItem);
  }
  return handlers;
}
