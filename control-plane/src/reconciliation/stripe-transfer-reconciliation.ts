import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import type { ReconciliationDifference } from '../ledger/reconciliation-check.ts';
import { isUuid } from '../payouts/payout-settlement.ts';
import { ok, type ProcessorResult } from '../processors/processor-result.ts';
import type { StripeProcessor } from '../processors/stripe/stripe-client.ts';
import {
  type ListedTransfer,
  listConnectTransfers,
  readListedTransfer,
} from '../processors/stripe/stripe-connect.ts';
import { processorDifference } from './processor-difference.ts';
import { readEach } from './read-each.ts';

/** A Stripe Connect payout as TAS has it. */
export type StripePayoutFacts = {
  id: string;
  status: string;
  amountMinor: number;
  currency: string;
  /** The transfer id, once Stripe made one. */
  processorReference: string | null;
  /** The affiliate's connected account now. */
  stripeAccountId: string | null;
  /** The ledger posted `payout:{id}:paid`: Stripe made the transfer (it may since be reversed). */
  wasPaid: boolean;
};

/**
 * How a payout differs from the transfers Stripe made with its key (decision 023: a paid payout
 * has exactly one, of its amount, to the affiliate's account, not reversed; a payout failed after
 * it was paid has one, reversed; any other has none).
 */
export function stripePayoutDifferences(
  payout: StripePayoutFacts,
  transfers: readonly ListedTransfer[],
): ReconciliationDifference[] {
  const found: ReconciliationDifference[] = [];
  const said = (
    code: Parameters<typeof processorDifference>[1],
    message: string,
    extra: { processorRecordId?: string | null; expectedMinor?: number; actualMinor?: number } = {},
  ) => found.push(processorDifference('stripe', code, message, { payoutId: payout.id, ...extra }));
  const expectTransfer = payout.status === 'paid' || payout.wasPaid;
  const [transfer, ...more] = transfers;
  for (const extra of more) {
    said(
      'processor_duplicate_record',
      `Payout ${payout.id}: Stripe made another transfer ${extra.id} (${extra.amountMinor} ${extra.currency}) with its key besides ${transfer?.id}: the affiliate was paid twice.`,
      { processorRecordId: extra.id, expectedMinor: 0, actualMinor: extra.amountMinor },
    );
  }
  if (!transfer) {
    if (expectTransfer) {
      said(
        'processor_record_missing',
        `Payout ${payout.id} is ${payout.status}${payout.status === 'paid' ? '' : ' after it was paid'} but Stripe has no transfer ${payout.processorReference ?? 'with its key'}.`,
        { processorRecordId: payout.processorReference, actualMinor: payout.amountMinor },
      );
    }
    return found;
  }
  const at = { processorRecordId: transfer.id };
  if (!expectTransfer) {
    said(
      'processor_status_mismatch',
      `Payout ${payout.id} is ${payout.status}, never paid in the ledger, but Stripe made transfer ${transfer.id} (${transfer.amountMinor} ${transfer.currency})${payout.status === 'pending' ? ': resume its run' : ''}.`,
      { ...at, expectedMinor: transfer.amountMinor - transfer.amountReversedMinor, actualMinor: 0 },
    );
    return found;
  }
  if (transfer.amountMinor !== payout.amountMinor || transfer.currency !== payout.currency) {
    said(
      'processor_amount_mismatch',
      `Payout ${payout.id} is ${payout.amountMinor} ${payout.currency}, its Stripe transfer ${transfer.id} ${transfer.amountMinor} ${transfer.currency}.`,
      { ...at, expectedMinor: transfer.amountMinor, actualMinor: payout.amountMinor },
    );
  }
  if (payout.stripeAccountId !== null && transfer.accountId !== payout.stripeAccountId) {
    said(
      'processor_destination_mismatch',
      `Payout ${payout.id}: Stripe transfer ${transfer.id} went to ${transfer.accountId}, the affiliate's account is ${payout.stripeAccountId}.`,
      at,
    );
  }
  const takenBack = payout.status === 'failed';
  if (transfer.reversed !== takenBack) {
    said(
      'processor_status_mismatch',
      takenBack
        ? `Payout ${payout.id} is failed after it was paid, but its Stripe transfer ${transfer.id} is not reversed.`
        : `Payout ${payout.id} is paid, but Stripe reversed its transfer ${transfer.id}.`,
      {
        ...at,
        expectedMinor: transfer.reversed ? 0 : transfer.amountMinor,
        actualMinor: takenBack ? 0 : payout.amountMinor,
      },
    );
  } else if (!takenBack && transfer.amountReversedMinor > 0) {
    // A partial reversal is an admin's correction at Stripe (payout-webhooks.ts ignores it): the
    // affiliate holds less than the ledger says.
    said(
      'processor_amount_mismatch',
      `Payout ${payout.id}: Stripe reversed ${transfer.amountReversedMinor} of its transfer ${transfer.id}; the ledger says ${payout.amountMinor} was paid.`,
      {
        ...at,
        expectedMinor: transfer.amountMinor - transfer.amountReversedMinor,
        actualMinor: payout.amountMinor,
      },
    );
  }
  return found;
}

/** What TAS holds of each payout id (any method, any time: a listed key may predate the window). */
async function stripePayoutFacts(db: Database, ids: readonly string[]): Promise<StripePayoutFacts[]> {
  const facts: StripePayoutFacts[] = [];
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await queryRows<{
      id: string;
      status: string;
      amount_minor: number | string;
      currency: string;
      processor_reference: string | null;
      stripe_account_id: string | null;
      was_paid: boolean;
    }>(
      db,
      sql`SELECT p.id, p.status::text AS status, p.amount_minor, p.currency, p.processor_reference,
                 s.stripe_account_id,
                 EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.idempotency_key = 'payout:' || p.id || ':paid') AS was_paid
          FROM payouts p LEFT JOIN affiliate_payout_settings s ON s.affiliate_id = p.affiliate_id
          WHERE p.id = ANY(${sql.param(ids.slice(i, i + 5000))}::uuid[])`,
    );
    for (const r of rows) {
      facts.push({
        id: r.id,
        status: r.status,
        amountMinor: Number(r.amount_minor),
        currency: r.currency.trim(),
        processorReference: r.processor_reference,
        stripeAccountId: r.stripe_account_id,
        wasPaid: r.was_paid,
      });
    }
  }
  return facts;
}

/**
 * Stripe Connect payouts against Stripe's transfers, both ways: each payout made since `since`
 * with the transfers Stripe lists under its key (metadata `tas_key`, the payout id), a transfer
 * named by a payout but not listed read alone; and each listed transfer with a TAS key that names
 * no payout.
 */
export async function reconcileStripeTransfers(
  db: Database,
  stripe: StripeProcessor,
  options: { since: Date; concurrency: number },
): Promise<ProcessorResult<ReconciliationDifference[]>> {
  const listed = await listConnectTransfers(stripe.client, options.since);
  if (!listed.ok) return listed;
  const byKey = new Map<string, ListedTransfer[]>();
  for (const t of listed.value) {
    if (t.tasKey !== null) byKey.set(t.tasKey, [...(byKey.get(t.tasKey) ?? []), t]);
  }
  const ours = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM payouts WHERE method = 'stripe_connect' AND created_at >= ${options.since.toISOString()}::timestamptz`,
  );
  const ids = [...new Set([...ours.map((r) => r.id), ...[...byKey.keys()].filter(isUuid)])];
  const payouts = await stripePayoutFacts(db, ids);
  const known = new Set(payouts.map((p) => p.id));
  const listedIds = new Set(listed.value.map((t) => t.id));
  const unlisted = payouts
    .filter(
      (p) =>
        !byKey.has(p.id) && p.processorReference?.startsWith('tr_') && !listedIds.has(p.processorReference),
    )
    .map((p) => p.processorReference ?? '');
  const read = await readEach(unlisted, options.concurrency, (id) => readListedTransfer(stripe.client, id));
  if (!read.ok) return read;
  const differences = payouts.flatMap((p) => {
    const byReference = p.processorReference ? read.value.get(p.processorReference) : null;
    return stripePayoutDifferences(p, byKey.get(p.id) ?? (byReference ? [byReference] : []));
  });
  for (const [key, transfers] of byKey) {
    if (known.has(key)) continue;
    for (const t of transfers) {
      differences.push(
        processorDifference(
          'stripe',
          'processor_unknown_record',
          `Stripe transfer ${t.id} (${t.amountMinor} ${t.currency} to ${t.accountId}) carries TAS key ${key}, which names no payout.`,
          { processorRecordId: t.id, expectedMinor: t.amountMinor },
        ),
      );
    }
  }
  return ok(differences);
}
