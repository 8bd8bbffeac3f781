import type { Schemas } from '~/lib/api.server';

export type Invoice = Schemas['Invoice'];
export type InvoiceDecision = Schemas['InvoiceRunResponse']['decisions'][number];

/** An invoice's status in the words StatusBadge colours (paid green, waiting amber, void grey). */
export const INVOICE_STATUS_TONES: Record<Invoice['status'], string> = {
  draft: 'draft',
  open: 'pending',
  paid: 'approved',
  void: 'cancelled',
  uncollectible: 'failed',
};

export const INVOICE_STATUS_LABELS: Record<Invoice['status'], string> = {
  draft: 'being issued',
  open: 'due',
  paid: 'paid',
  void: 'void',
  uncollectible: 'uncollectible',
};

export const OUTCOME_LABELS: Record<InvoiceDecision['outcome'], string> = {
  invoice: 'Invoiced',
  nothing_due: 'Reversals outweigh charges: the credit stays on the balance',
  covered_by_balance: 'Covered by the prepaid balance',
};

/** Where the dashboard serves a period's statement (streamed from the API with the session). */
export function statementHref(
  statement: { advertiserId: number; period: string; currency: string },
  format: 'html' | 'pdf',
): string {
  const query = new URLSearchParams({
    advertiserId: String(statement.advertiserId),
    period: statement.period,
    currency: statement.currency,
    format,
  });
  return `/invoices/statement?${query}`;
}
