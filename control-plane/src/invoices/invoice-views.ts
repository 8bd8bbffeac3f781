import type { Invoice } from '../db/schema/invoices.ts';
import type { InvoiceDecision } from './invoice-run.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * The API's view of an invoice. Stripe's refusals (`failure`) are for admins: they can name the
 * network's own configuration problems.
 */
export function invoiceView(invoice: Invoice, advertiserName: string, options: { admin: boolean }) {
  return {
    id: invoice.id,
    advertiserId: invoice.advertiserId,
    advertiserName,
    currency: invoice.currency.trim(),
    period: invoice.period,
    periodStart: invoice.periodStart.toISOString(),
    periodEnd: invoice.periodEnd.toISOString(),
    chargesMinor: invoice.chargesMinor,
    amountMinor: invoice.amountMinor,
    lines: invoice.lines,
    status: invoice.status,
    number: invoice.stripeInvoiceNumber,
    hostedInvoiceUrl: invoice.hostedInvoiceUrl,
    dueAt: iso(invoice.dueAt),
    sentAt: iso(invoice.sentAt),
    paidAt: iso(invoice.paidAt),
    closedAt: iso(invoice.closedAt),
    failure: options.admin ? invoice.failure : null,
    createdAt: invoice.createdAt.toISOString(),
  };
}

export const decisionView = (d: InvoiceDecision) => ({
  advertiserId: d.advertiserId,
  advertiserName: d.advertiserName,
  currency: d.currency,
  period: d.period,
  periodStart: d.periodStart.toISOString(),
  periodEnd: d.periodEnd.toISOString(),
  chargesMinor: d.chargesMinor,
  amountMinor: d.amountMinor,
  lines: d.lines,
  daysUntilDue: d.daysUntilDue,
  outcome: d.outcome,
});
