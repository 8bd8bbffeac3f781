import type Stripe from 'stripe';
import type { ProcessorResult } from '../processor-result.ts';
import { callStripe } from './stripe-errors.ts';

/** A Stripe customer for a postpaid advertiser, once per advertiser (keyed by it). */
export function createCustomer(
  stripe: Stripe,
  request: { advertiserId: number; name: string; email?: string | undefined },
): Promise<ProcessorResult<{ id: string }>> {
  return callStripe(async () => {
    const customer = await stripe.customers.create(
      {
        name: request.name,
        ...(request.email ? { email: request.email } : {}),
        metadata: { advertiser_id: String(request.advertiserId) },
      },
      { idempotencyKey: `advertiser_${request.advertiserId}_customer` },
    );
    return { id: customer.id };
  });
}

export type InvoiceLine = { amountMinor: number; description: string };

export type PostpaidInvoiceRequest = {
  customerId: string;
  currency: string;
  lines: InvoiceLine[];
  /** Net terms: the advertiser pays within this many days of the invoice being sent. */
  daysUntilDue: number;
  /** The billing period's key in TAS (e.g. `invoice_advertiser_7_2026-11`): each step derives its own. */
  idempotencyKey: string;
  metadata?: Record<string, string>;
};

export type PostpaidInvoice = {
  id: string;
  number: string | null;
  status: string;
  amountDueMinor: number;
  currency: string;
  hostedInvoiceUrl: string | null;
  dueDate: Date | null;
};

const invoiceOf = (invoice: Stripe.Invoice): PostpaidInvoice => ({
  id: invoice.id ?? '',
  number: invoice.number ?? null,
  status: invoice.status ?? 'draft',
  amountDueMinor: invoice.amount_due,
  currency: invoice.currency.toUpperCase(),
  hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
  dueDate: invoice.due_date ? new Date(invoice.due_date * 1000) : null,
});

/**
 * A period's invoice for a postpaid advertiser through Stripe Invoicing: a draft invoice sent for
 * payment by the customer (`send_invoice`, net `daysUntilDue`), its lines attached to it, then
 * finalized so it gets a number and a hosted page. Every step has a key derived from the period's,
 * so a run interrupted anywhere is resumed by calling again: nothing is created twice.
 */
export function createPostpaidInvoice(
  stripe: Stripe,
  request: PostpaidInvoiceRequest,
): Promise<ProcessorResult<PostpaidInvoice>> {
  const key = request.idempotencyKey;
  return callStripe(async () => {
    const draft = await stripe.invoices.create(
      {
        customer: request.customerId,
        currency: request.currency.toLowerCase(),
        collection_method: 'send_invoice',
        days_until_due: request.daysUntilDue,
        auto_advance: false,
        metadata: { ...request.metadata, tas_key: key },
      },
      { idempotencyKey: `${key}_invoice` },
    );
    const invoiceId = draft.id ?? '';
    for (const [index, line] of request.lines.entries()) {
      await stripe.invoiceItems.create(
        {
          customer: request.customerId,
          invoice: invoiceId,
          amount: line.amountMinor,
          currency: request.currency.toLowerCase(),
          description: line.description,
        },
        { idempotencyKey: `${key}_line_${index}` },
      );
    }
    return invoiceOf(
      await stripe.invoices.finalizeInvoice(invoiceId, {}, { idempotencyKey: `${key}_finalize` }),
    );
  });
}

/**
 * Charges a finalized invoice now with the customer's saved payment method (an admin's "collect
 * now" on an overdue invoice). A refused card is `card_declined`; the invoice stays open.
 */
export function payInvoice(
  stripe: Stripe,
  request: { invoiceId: string; idempotencyKey: string },
): Promise<ProcessorResult<PostpaidInvoice>> {
  return callStripe(async () =>
    invoiceOf(await stripe.invoices.pay(request.invoiceId, {}, { idempotencyKey: request.idempotencyKey })),
  );
}

/**
 * Emails a finalized `send_invoice` invoice to the customer with its hosted page: finalizing an
 * invoice with `auto_advance: false` does not send it. Keyed, so a resumed run sends it once.
 */
export function sendInvoice(
  stripe: Stripe,
  request: { invoiceId: string; idempotencyKey: string },
): Promise<ProcessorResult<PostpaidInvoice>> {
  return callStripe(async () =>
    invoiceOf(
      await stripe.invoices.sendInvoice(request.invoiceId, {}, { idempotencyKey: request.idempotencyKey }),
    ),
  );
}

/**
 * The customer's invoice made for a TAS invoice (metadata `tas_invoice_id`), or null. For resuming
 * after Stripe has forgotten the idempotency keys (24 hours): what was made then is found by its
 * metadata instead of made again. Newest first, stopping at the first match: a customer has one
 * invoice per billing period, so this reads a page or two.
 */
export function findInvoiceMadeFor(
  stripe: Stripe,
  request: { customerId: string; tasInvoiceId: string },
): Promise<ProcessorResult<PostpaidInvoice | null>> {
  return callStripe(async () => {
    for await (const invoice of stripe.invoices.list({ customer: request.customerId, limit: 100 })) {
      if (invoice.metadata?.tas_invoice_id === request.tasInvoiceId) return invoiceOf(invoice);
    }
    return null;
  });
}

/** Deletes a draft invoice (Stripe deletes only drafts; finalized ones are voided instead). */
export function deleteDraftInvoice(stripe: Stripe, invoiceId: string): Promise<ProcessorResult<void>> {
  return callStripe(async () => {
    await stripe.invoices.del(invoiceId);
  });
}
