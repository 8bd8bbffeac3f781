import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import type { ReconciliationCheck, ReconciliationDifference } from '../ledger/reconciliation-check.ts';

/** The ledger steps a payout in each state must have posted (decision 023), by key suffix. */
function expectedSteps(status: string, posted: boolean, steps: readonly string[]): string[][] {
  if (!posted) return [[]];
  if (status === 'pending' || status === 'sent') return [['sent']];
  if (status === 'paid') return [['paid', 'sent']];
  if (status === 'failed')
    return steps.includes('reversed') ? [['paid', 'reversed', 'sent']] : [['failed', 'sent']];
  return [[]];
}

/**
 * The `payouts` part of the reconciliation (decision 021; ledger/reconciliation.ts's extension
 * point): every payout's ledger transfers are the ones its state calls for, each of the payout's
 * amount, and no payout transfer names a payout that does not exist. Read only, one statement.
 */
export const checkPayouts: NonNullable<ReconciliationCheck['run']> = async (db: Database, report) => {
  const rows = await queryRows<{
    payout_id: string;
    status: string | null;
    amount_minor: number | string | null;
    posted: boolean | null;
    steps: string[] | null;
    amounts: (number | string)[] | null;
  }>(
    db,
    sql`
    WITH t AS (
      SELECT t.payout_id,
             CASE WHEN t.idempotency_key = 'payout:' || t.payout_id THEN 'sent'
                  ELSE split_part(t.idempotency_key, ':', 3) END AS step,
             (SELECT max(abs(e.amount_minor)) FROM ledger_entries e WHERE e.transfer_id = t.id) AS amount
      FROM ledger_transfers t WHERE t.payout_id IS NOT NULL
    ),
    per AS (
      SELECT payout_id, array_agg(step ORDER BY step) AS steps, array_agg(amount) AS amounts FROM t GROUP BY payout_id
    )
    SELECT coalesce(p.id, per.payout_id) AS payout_id, p.status, p.amount_minor, p.posted_at IS NOT NULL AS posted,
           per.steps, per.amounts
    FROM payouts p FULL JOIN per ON per.payout_id = p.id`,
  );
  const base = { check: 'payouts', transferId: null, conversionId: null, account: null, layer: null };
  for (const r of rows) {
    const difference = (
      code: string,
      message: string,
      expected: number | null = null,
      actual: number | null = null,
    ) =>
      report({
        ...base,
        payoutId: r.payout_id,
        code,
        message,
        expectedMinor: expected,
        actualMinor: actual,
      } satisfies ReconciliationDifference);
    if (r.status === null) {
      difference(
        'payout_transfer_without_payout',
        `Ledger transfers name payout ${r.payout_id}, which does not exist.`,
      );
      continue;
    }
    const steps = r.steps ?? [];
    const expected = expectedSteps(r.status, r.posted ?? false, steps)[0] ?? [];
    if (steps.join(',') !== expected.join(',')) {
      difference(
        'payout_steps_mismatch',
        `Payout ${r.payout_id} is ${r.status}${r.posted ? ' (posted)' : ''} but its ledger steps are [${steps.join(', ')}], not [${expected.join(', ')}].`,
      );
    }
    const amount = Number(r.amount_minor);
    for (const posted of r.amounts ?? []) {
      if (Number(posted) !== amount) {
        difference(
          'payout_amount_mismatch',
          `Payout ${r.payout_id} moved ${posted}, not its ${amount}.`,
          amount,
          Number(posted),
        );
        break;
      }
    }
  }
};
