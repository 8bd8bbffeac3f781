import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import type {
  ReconciliationCheck,
  ReconciliationDifference,
  Report,
} from '../ledger/reconciliation-check.ts';

/**
 * Every paid invoice has its one `invoice` transfer (key `invoice:{id}`) moving the invoice's
 * amount from the advertiser to Stripe's cash, and no `invoice` transfer lacks a paid invoice
 * (decision 025). Read only, one statement.
 */
export async function checkInvoices(db: Database, report: Report): Promise<void> {
  const rows = await queryRows<{
    invoice_id: string | null;
    status: string | null;
    amount_minor: number | string | null;
    transfer_id: number | string | null;
    key: string | null;
    moved: number | string | null;
  }>(
    db,
    sql`
    WITH t AS (
      SELECT t.id, t.idempotency_key,
             CASE WHEN t.idempotency_key ~ '^invoice:[0-9a-f-]{36}$' THEN substr(t.idempotency_key, 9)::uuid END AS invoice_id,
             (SELECT -sum(e.amount_minor) FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
              WHERE e.transfer_id = t.id AND a.kind = 'advertiser')::bigint AS moved
      FROM ledger_transfers t WHERE t.kind = 'invoice'
    )
    SELECT coalesce(i.id, t.invoice_id) AS invoice_id, i.status, i.amount_minor,
           t.id AS transfer_id, t.idempotency_key AS key, t.moved
    FROM (SELECT id, status::text, amount_minor FROM invoices
          WHERE status = 'paid' OR id IN (SELECT invoice_id FROM t WHERE invoice_id IS NOT NULL)) i
    FULL JOIN t ON t.invoice_id = i.id
    ORDER BY 1, t.id`,
  );
  const base = { check: 'invoices', conversionId: null, payoutId: null, account: null, layer: null };
  const difference = (
    d: Pick<ReconciliationDifference, 'code' | 'message' | 'transferId'> & Partial<ReconciliationDifference>,
  ) => report({ ...base, expectedMinor: null, actualMinor: null, ...d });
  for (const r of rows) {
    const transferId = r.transfer_id === null ? null : Number(r.transfer_id);
    if (r.status !== 'paid') {
      // An invoice payment naming no paid invoice: none at all, or one not (or no longer) paid.
      difference({
        code: 'invoice_transfer_without_paid_invoice',
        message: r.invoice_id
          ? `Transfer ${transferId} (${r.key}) pays invoice ${r.invoice_id}, which is ${r.status ?? 'not stored'}, not paid.`
          : `Transfer ${transferId} (${r.key}) is an invoice payment whose key names no invoice.`,
        transferId,
      });
      continue;
    }
    const amount = Number(r.amount_minor);
    if (transferId === null) {
      difference({
        code: 'invoice_paid_not_posted',
        message: `Invoice ${r.invoice_id} is paid but the ledger has no invoice:${r.invoice_id} transfer.`,
        transferId,
        expectedMinor: amount,
        actualMinor: 0,
      });
      continue;
    }
    const moved = Number(r.moved ?? 0);
    if (moved !== amount) {
      difference({
        code: 'invoice_amount_mismatch',
        message: `Invoice ${r.invoice_id} asks ${amount} but its transfer ${transferId} moved ${moved} from the advertiser.`,
        transferId,
        expectedMinor: amount,
        actualMinor: moved,
      });
    }
  }
}

/** The `invoices` part of the ledger's reconciliation, shaped as RECONCILIATION_CHECKS' entries. */
export const invoiceReconciliation: ReconciliationCheck = { name: 'invoices', run: checkInvoices };
