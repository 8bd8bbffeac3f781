import { parseDecimalAmount } from '@tas/shared/money';
import { z } from 'zod';
import type { ProcessorEvent } from '../../db/schema/processor-events.ts';

const payoutItemSchema = z.object({
  payout_item_id: z.string(),
  payout_batch_id: z.string(),
  transaction_status: z.string(),
  transaction_id: z.string().optional(),
  payout_item: z.object({
    amount: z.object({ value: z.string(), currency: z.string() }),
    receiver: z.string().optional(),
    sender_item_id: z.string().optional(),
  }),
  errors: z.object({ name: z.string(), message: z.string().optional() }).optional(),
});

/** The payout item in a `PAYMENT.PAYOUTS-ITEM.*` event, or null when the resource is not one. */
export function payoutItemEventOf(event: ProcessorEvent) {
  const item = payoutItemSchema.safeParse((event.payload as { resource?: unknown }).resource);
  if (!item.success) return null;
  const amount = parseDecimalAmount(
    item.data.payout_item.amount.value,
    item.data.payout_item.amount.currency,
  );
  if (!amount.ok) return null;
  return {
    payoutItemId: item.data.payout_item_id,
    batchId: item.data.payout_batch_id,
    /** TAS's id of the payment (the payout's key). */
    senderItemId: item.data.payout_item.sender_item_id ?? null,
    status: item.data.transaction_status,
    amountMinor: amount.amountMinor,
    currency: item.data.payout_item.amount.currency,
    error: item.data.errors?.name ?? null,
  };
}

// A payout item's life at PayPal: waiting, then unclaimed (no PayPal account yet), then settled
// one way or the other, and a settled payment may still be refunded or reversed later.
const RANK: Record<string, number> = {
  NEW: 0,
  PENDING: 1,
  ONHOLD: 1,
  UNCLAIMED: 2,
  SUCCESS: 3,
  FAILED: 3,
  RETURNED: 3,
  BLOCKED: 3,
  DENIED: 3,
  REFUNDED: 4,
  REVERSED: 4,
};

/**
 * How far along its life a payout item status is. A handler moves an item only to a status of a
 * higher rank than the one it recorded: events arriving out of order then change nothing
 * backwards (a PENDING after SUCCESS is stale; RETURNED after UNCLAIMED is news).
 */
export function payoutItemStateRank(status: string): number {
  return RANK[status] ?? -1;
}
