import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import type { ReconciliationDifference } from '../ledger/reconciliation-check.ts';
import type { PayPalProcessor } from '../processors/paypal/paypal-client.ts';
import { type PayoutItemState, readPayoutBatch } from '../processors/paypal/paypal-payouts.ts';
import { ok, type ProcessorResult } from '../processors/processor-result.ts';
import { processorDifference } from './processor-difference.ts';
import { readEach } from './read-each.ts';

/** A PayPal payout as TAS has it, with its run's batch. */
export type PayPalPayoutFacts = {
  id: string;
  runId: string;
  batchId: string | null;
  status: string;
  amountMinor: number;
  currency: string;
  /** TAS sent it in its run's batch (sent_at is set then, and only then, for PayPal). */
  sent: boolean;
};

// What TAS's payout should say for each item status (payout-webhooks.ts): paid, failed (the
// money back with the network), or still sent (PayPal has not settled it: PENDING, UNCLAIMED...).
const SETTLED: Record<string, 'paid' | 'failed'> = {
  SUCCESS: 'paid',
  FAILED: 'failed',
  RETURNED: 'failed',
  BLOCKED: 'failed',
  DENIED: 'failed',
  REFUNDED: 'failed',
  REVERSED: 'failed',
};

/** How a payout differs from its item in the run's batch at PayPal (null: no such item). */
export function paypalPayoutDifferences(
  payout: PayPalPayoutFacts,
  item: PayoutItemState | null,
): ReconciliationDifference[] {
  const said = (
    code: Parameters<typeof processorDifference>[1],
    message: string,
    extra: { expectedMinor?: number; actualMinor?: number } = {},
  ) => [
    processorDifference('paypal', code, message, {
      payoutId: payout.id,
      processorRecordId: item?.payoutItemId ?? payout.batchId,
      ...extra,
    }),
  ];
  if (item === null) {
    return payout.sent
      ? said(
          'processor_record_missing',
          `Payout ${payout.id} is ${payout.status}, sent in batch ${payout.batchId ?? '(none recorded)'}, but PayPal has no item for it.`,
          { actualMinor: payout.amountMinor },
        )
      : [];
  }
  if (!payout.sent) {
    return said(
      'processor_status_mismatch',
      `Payout ${payout.id} is ${payout.status} and was never sent, but PayPal has item ${item.payoutItemId} (${item.transactionStatus}) for it${payout.status === 'pending' ? ': resume its run' : ''}.`,
      { expectedMinor: item.amountMinor, actualMinor: 0 },
    );
  }
  const found: ReconciliationDifference[] = [];
  if (item.amountMinor !== payout.amountMinor || item.currency !== payout.currency) {
    found.push(
      ...said(
        'processor_amount_mismatch',
        `Payout ${payout.id} is ${payout.amountMinor} ${payout.currency}, its PayPal item ${item.payoutItemId} ${item.amountMinor} ${item.currency}.`,
        { expectedMinor: item.amountMinor, actualMinor: payout.amountMinor },
      ),
    );
  }
  const expected = SETTLED[item.transactionStatus] ?? 'sent';
  if (payout.status !== expected) {
    found.push(
      ...said(
        'processor_status_mismatch',
        `Payout ${payout.id} is ${payout.status}, its PayPal item ${item.payoutItemId} is ${item.transactionStatus} (TAS would say ${expected}; a webhook may not have arrived).`,
      ),
    );
  }
  return found;
}

/**
 * PayPal payouts against PayPal's batches: each PayPal payout of the runs made since `since`
 * with its item (by sender_item_id, the payout id) in its run's batch, read page by page, a few
 * batches at a time; and each item of those batches that names no payout of the run. PayPal has
 * no list of batches, so a batch TAS never recorded cannot be found from here.
 */
export async function reconcilePayPalPayouts(
  db: Database,
  paypal: PayPalProcessor,
  options: { since: Date; concurrency: number },
): Promise<ProcessorResult<ReconciliationDifference[]>> {
  const rows = await queryRows<{
    id: string;
    run_id: string;
    paypal_batch_id: string | null;
    status: string;
    amount_minor: number | string;
    currency: string;
    sent: boolean;
  }>(
    db,
    sql`SELECT p.id, p.run_id, r.paypal_batch_id, p.status::text AS status, p.amount_minor, p.currency,
               p.sent_at IS NOT NULL AS sent
        FROM payouts p JOIN payout_runs r ON r.id = p.run_id
        WHERE p.method = 'paypal' AND p.run_id IN (
          SELECT run_id FROM payouts WHERE method = 'paypal' AND created_at >= ${options.since.toISOString()}::timestamptz)
        ORDER BY p.run_id, p.id`,
  );
  const payouts: PayPalPayoutFacts[] = rows.map((r) => ({
    id: r.id,
    runId: r.run_id,
    batchId: r.paypal_batch_id,
    status: r.status,
    amountMinor: Number(r.amount_minor),
    currency: r.currency.trim(),
    sent: r.sent,
  }));
  const batchIds = [...new Set(payouts.flatMap((p) => (p.batchId ? [p.batchId] : [])))];
  const read = await readEach(batchIds, options.concurrency, (id) => readPayoutBatch(paypal, id));
  if (!read.ok) return read;
  const items = new Map<string, PayoutItemState>();
  for (const [batchId, batch] of read.value) {
    for (const item of batch?.items ?? []) {
      if (item.senderItemId !== null) items.set(`${batchId}|${item.senderItemId}`, item);
    }
  }
  const differences = payouts.flatMap((payout) =>
    paypalPayoutDifferences(payout, items.get(`${payout.batchId}|${payout.id}`) ?? null),
  );
  const ours = new Set(payouts.map((p) => p.id));
  for (const [batchId, batch] of read.value) {
    for (const item of batch?.items ?? []) {
      if (item.senderItemId !== null && ours.has(item.senderItemId)) continue;
      differences.push(
        processorDifference(
          'paypal',
          'processor_unknown_record',
          `PayPal batch ${batchId} has item ${item.payoutItemId} (${item.amountMinor} ${item.currency}, ${item.transactionStatus}) naming ${item.senderItemId ?? 'no sender_item_id'}, which is no payout of its run.`,
          { processorRecordId: item.payoutItemId, expectedMinor: item.amountMinor },
        ),
      );
    }
  }
  return ok(differences);
}
