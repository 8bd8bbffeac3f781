import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import { invoiceReconciliation } from '../invoices/invoice-reconciliation.ts';
import { checkPayouts } from '../payouts/payout-reconciliation.ts';
import { checkProcessors } from '../reconciliation/processor-reconciliation.ts';
import {
  type ConversionPosition,
  differenceOf,
  expectedHoldings,
  readConversionPositions,
} from './conversion-ledger.ts';
import type { Layer } from './post-transfer.ts';
import type {
  CheckPart,
  ReconciliationCheck,
  ReconciliationContext,
  ReconciliationDifference,
  Report,
} from './reconciliation-check.ts';

export type { ReconciliationCheck, ReconciliationDifference };

/** One way the ledger disagrees with itself or with what it follows, named by its ids. */
const none = { transferId: null, conversionId: null, payoutId: null, account: null, layer: null };

/** Every transfer nets to zero per currency and layer, and has entries. */
export async function checkTransfers(db: Database, report: Report): Promise<void> {
  const unbalanced = await queryRows<{
    transfer_id: number | string;
    currency: string;
    layer: Layer;
    net: number | string;
  }>(
    db,
    sql`SELECT transfer_id, currency, layer, sum(amount_minor) AS net
        FROM ledger_entries GROUP BY transfer_id, currency, layer HAVING sum(amount_minor) <> 0
        ORDER BY transfer_id`,
  );
  for (const u of unbalanced) {
    report({
      ...none,
      check: 'transfers',
      code: 'unbalanced_transfer',
      message: `Transfer ${u.transfer_id}: its ${u.layer} ${u.currency.trim()} entries net to ${u.net}.`,
      transferId: Number(u.transfer_id),
      layer: u.layer,
      expectedMinor: 0,
      actualMinor: Number(u.net),
    });
  }
  const empty = await queryRows<{ id: number | string }>(
    db,
    sql`SELECT t.id FROM ledger_transfers t
        WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transfer_id = t.id) ORDER BY t.id`,
  );
  for (const e of empty) {
    report({
      ...none,
      check: 'transfers',
      code: 'empty_transfer',
      message: `Transfer ${e.id} has no entries.`,
      transferId: Number(e.id),
      expectedMinor: null,
      actualMinor: null,
    });
  }
}

/** How one conversion's holdings differ from what its figures call for. */
export function conversionDifferences(p: ConversionPosition): ReconciliationDifference[] {
  const base = { ...none, check: 'conversions', conversionId: p.id };
  const expected = expectedHoldings(p);
  if (expected === null) {
    return [
      {
        ...base,
        code: 'conversion_unpostable',
        message: `Conversion ${p.id} (${p.status}) has revenue ${p.revenueMinor} ${p.currency} but no known advertiser to owe it, or no ISO currency.`,
        expectedMinor: p.revenueMinor,
        actualMinor: null,
      },
    ];
  }
  const neverPosted = p.transfers === 0;
  const held = new Map(
    p.holdings.map((h) => [`${h.account.kind}|${h.account.ownerId}|${h.account.currency}|${h.layer}`, h]),
  );
  return differenceOf(p.holdings, expected).map((d) => {
    const actual =
      held.get(`${d.account.kind}|${d.account.ownerId}|${d.account.currency}|${d.layer}`)?.amountMinor ?? 0;
    return {
      ...base,
      code: neverPosted ? 'conversion_not_posted' : 'conversion_mismatch',
      message: neverPosted
        ? `Conversion ${p.id} (${p.status}) was never posted to the ledger: run \`ledger sync\`.`
        : `Conversion ${p.id} (${p.status}): ${d.account.kind} ${d.account.ownerId} ${d.layer} holds ${actual} ${d.account.currency}, its figures call for ${actual + d.amountMinor}.`,
      account: d.account,
      layer: d.layer,
      expectedMinor: actual + d.amountMinor,
      actualMinor: actual,
    };
  });
}

/**
 * Each conversion's ledger holdings equal what its status and amounts call for (read with its
 * figures in one statement, so a change committing meanwhile is seen whole or not at all), and
 * every conversion transfer names a stored conversion.
 */
export async function checkConversions(db: Database, report: Report, batchSize = 2000): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const ids: { id: string }[] = await queryRows<{ id: string }>(
      db,
      sql`SELECT id FROM conversions WHERE ${after === null ? sql`true` : sql`id > ${after}::uuid`}
          ORDER BY id LIMIT ${batchSize}`,
    );
    if (ids.length === 0) break;
    const positions = await readConversionPositions(
      db,
      ids.map((r) => r.id),
    );
    for (const p of positions.sort((a, b) => (a.id < b.id ? -1 : 1))) {
      for (const d of conversionDifferences(p)) report(d);
    }
    after = ids.at(-1)?.id ?? null;
    if (ids.length < batchSize) break;
  }
  const orphans = await queryRows<{ id: number | string; conversion_id: string }>(
    db,
    sql`SELECT t.id, t.conversion_id FROM ledger_transfers t
        WHERE t.conversion_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM conversions v WHERE v.id = t.conversion_id)
        ORDER BY t.id`,
  );
  for (const o of orphans) {
    report({
      ...none,
      check: 'conversions',
      code: 'transfer_without_conversion',
      message: `Transfer ${o.id} follows conversion ${o.conversion_id}, which is not stored.`,
      transferId: Number(o.id),
      conversionId: o.conversion_id,
      expectedMinor: null,
      actualMinor: null,
    });
  }
}

/**
 * The parts of decision 021's reconciliation, in order: the ledger with itself, with the
 * conversions, with the payouts, with each processor's records. A part is one more entry here
 * (an invoices check comparing with Stripe's invoices, say): it gets the processors and the
 * window in its context.
 */
export const RECONCILIATION_CHECKS: readonly ReconciliationCheck[] = [
  { name: 'transfers', run: checkTransfers },
  { name: 'conversions', run: (db, report) => checkConversions(db, report) },
  { name: 'payouts', run: checkPayouts },
  invoiceReconciliation,
  { name: 'processors', run: checkProcessors },
];

/** How far back the records outside TAS (the processors') are compared, unless told. */
export const DEFAULT_WINDOW_DAYS = 90;

export type ReconciliationResult = {
  checkedAt: Date;
  /** Processors' records made since then were compared. */
  since: Date;
  /** No check that ran found a difference. */
  clean: boolean;
  /** Every part was checked: none is unbuilt, and no processor TAS has records of was left unread. */
  complete: boolean;
  checks: {
    name: string;
    status: 'clean' | 'differences' | 'not_checked';
    differences: number;
    /** For checks made of parts (a processor each): what each came to. */
    parts?: CheckPart[];
  }[];
  /** The first `maxDifferences` differences, in check order. */
  differences: Required<ReconciliationDifference>[];
  differencesTotal: number;
};

/**
 * Proves the ledger equal to what it follows, or names every difference (decision 021). Read
 * only. `onDifference` sees every one, beyond `maxDifferences` too (the command prints them all).
 * Without `processors` no processor is configured: their part is not checked.
 */
export async function reconcileLedger(
  db: Database,
  options: {
    checks?: readonly ReconciliationCheck[];
    maxDifferences?: number;
    onDifference?: Report;
    now?: () => Date;
    processors?: Partial<ReconciliationContext['processors']> | undefined;
    since?: Date | undefined;
  } = {},
): Promise<ReconciliationResult> {
  const max = options.maxDifferences ?? 1000;
  const now = options.now?.() ?? new Date();
  const context: ReconciliationContext = {
    processors: { stripe: options.processors?.stripe ?? null, paypal: options.processors?.paypal ?? null },
    since: options.since ?? new Date(now.getTime() - DEFAULT_WINDOW_DAYS * 86_400_000),
    now,
  };
  const differences: Required<ReconciliationDifference>[] = [];
  let total = 0;
  let complete = true;
  const checks: ReconciliationResult['checks'] = [];
  for (const check of options.checks ?? RECONCILIATION_CHECKS) {
    if (check.run === null) {
      checks.push({ name: check.name, status: 'not_checked', differences: 0 });
      complete = false;
      continue;
    }
    let found = 0;
    const outcome = await check.run(
      db,
      (d) => {
        found += 1;
        total += 1;
        const full = {
          ...d,
          processor: d.processor ?? null,
          processorRecordId: d.processorRecordId ?? null,
          topUpId: d.topUpId ?? null,
        };
        if (differences.length < max) differences.push(full);
        options.onDifference?.(full);
      },
      context,
    );
    const whole = outcome?.complete ?? true;
    complete &&= whole;
    checks.push({
      name: check.name,
      status: found > 0 ? 'differences' : whole ? 'clean' : 'not_checked',
      differences: found,
      ...(outcome ? { parts: outcome.parts } : {}),
    });
  }
  return {
    checkedAt: now,
    since: context.since,
    clean: total === 0,
    complete,
    checks,
    differences,
    differencesTotal: total,
  };
}
