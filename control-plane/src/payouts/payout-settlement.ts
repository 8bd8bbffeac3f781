import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { type Payout, payouts } from '../db/schema/payouts.ts';
import { postTransfer } from '../ledger/post-transfer.ts';
import { payoutTransfer } from './payout-ledger.ts';

/** What a processor (or an admin, for bank transfers) says became of a payout. */
export type PayoutOutcome =
  | { kind: 'paid'; reference?: string | null | undefined }
  | { kind: 'failed'; reason: string; reference?: string | null | undefined };

export type SettleResult = { payout: Payout; changed: boolean };

/**
 * Moves a payout forward to what the processor says, in the caller's transaction, holding the
 * payout's row: pending or sent -> paid (in transit -> processor cash), pending or sent -> failed
 * (in transit -> payable), paid -> failed (taken back: processor cash -> payable). Anything else
 * is stale news and changes nothing (a success after a failure, a failure twice). Each step is
 * posted under its own key, so even a step replayed past the status check posts once.
 */
export async function settlePayout(
  tx: Database,
  payoutId: string,
  outcome: PayoutOutcome,
  now: Date = new Date(),
): Promise<SettleResult | null> {
  const [payout] = await tx.select().from(payouts).where(eq(payouts.id, payoutId)).for('update');
  if (!payout) return null;
  // Nothing left the payable yet (the run stopped before posting): nothing to settle.
  if (payout.postedAt === null) return { payout, changed: false };
  const reference = outcome.reference ?? payout.processorReference;
  if (outcome.kind === 'paid') {
    if (payout.status !== 'pending' && payout.status !== 'sent') return { payout, changed: false };
    await postTransfer(tx, payoutTransfer(payout, 'paid', reference));
    const [updated] = await tx
      .update(payouts)
      .set({
        status: 'paid',
        processorReference: reference,
        settledAt: now,
        updatedAt: now,
        sentAt: payout.sentAt ?? now,
      })
      .where(eq(payouts.id, payoutId))
      .returning();
    return { payout: updated ?? payout, changed: true };
  }
  const step = payout.status === 'paid' ? 'reversed' : 'failed';
  if (payout.status !== 'pending' && payout.status !== 'sent' && payout.status !== 'paid')
    return { payout, changed: false };
  await postTransfer(tx, payoutTransfer(payout, step, outcome.reason.slice(0, 500)));
  const [updated] = await tx
    .update(payouts)
    .set({
      status: 'failed',
      failureReason: outcome.reason.slice(0, 500),
      processorReference: reference,
      settledAt: now,
      updatedAt: now,
    })
    .where(eq(payouts.id, payoutId))
    .returning();
  return { payout: updated ?? payout, changed: true };
}

/** settlePayout in a transaction of its own. */
export function settlePayoutNow(db: Database, payoutId: string, outcome: PayoutOutcome, now?: Date) {
  return db.transaction((tx) => settlePayout(tx, payoutId, outcome, now));
}

export const isUuid = (value: string | null): value is string =>
  value !== null && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
