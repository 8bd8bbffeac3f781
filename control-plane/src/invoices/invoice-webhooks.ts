import { eq, or } from 'drizzle-orm';
import { type FundsDeps, syncFundsStateLogged } from '../billing/funds-stop.ts';
import type { Database } from '../db/database.ts';
import { type Invoice, invoices } from '../db/schema/invoices.ts';
import { postTransfer } from '../ledger/post-transfer.ts';
import { isUuid } from '../payouts/payout-settlement.ts';
import { type InvoiceDetails, invoiceDetailsOf } from '../processors/stripe/stripe-event-objects.ts';
import type { WebhookHandler, WebhookHandlers } from '../processors/webhook-handlers.ts';
import { invoicePaymentTransfer } from './invoice-ledger.ts';
import { invoiceStatusOf, movesForward } from './invoice-status.ts';

/** TAS's invoice for Stripe's, held for the event's transaction; null when it is not one of ours. */
async function lockInvoice(tx: Database, details: InvoiceDetails): Promise<Invoice | null> {
  const [row] = await tx
    .select()
    .from(invoices)
    .where(
      or(
        eq(invoices.stripeInvoiceId, details.invoiceId),
        // Before the run recorded Stripe's id (it stopped after Stripe answered): by our metadata.
        isUuid(details.tasInvoiceId) ? eq(invoices.id, details.tasInvoiceId) : undefined,
      ),
    )
    .for('update');
  return row ?? null;
}

/** What a payment needs to restart an advertiser's stopped offers (the edge and the mailer). */
export type InvoiceFundsDeps = Omit<FundsDeps, 'db'>;

/**
 * Every `invoice.*` event TAS follows, decided from the invoice in the payload (decision 022): its
 * status moves TAS's invoice only forward (a `finalized` after `paid` is stale), the Stripe ids
 * are recorded if the run had not yet, and a paid invoice posts its one ledger transfer (debit
 * Stripe's cash, credit the advertiser) under `invoice:{id}`, however often and in whatever order
 * the events come. A failed payment is noted; the invoice stays open.
 */
const onInvoiceEvent =
  (funds: InvoiceFundsDeps | undefined): WebhookHandler =>
  async (tx, event) => {
    const details = invoiceDetailsOf(event);
    if (!details) return;
    const row = await lockInvoice(tx, details);
    if (!row) return;
    const at = event.occurredAt ?? new Date();
    const next = invoiceStatusOf(details.status);
    const forward = next !== null && movesForward(row.status, next);
    const values: Partial<Invoice> = {
      stripeInvoiceId: row.stripeInvoiceId ?? details.invoiceId,
      stripeInvoiceNumber: row.stripeInvoiceNumber ?? details.number,
      hostedInvoiceUrl: row.hostedInvoiceUrl ?? details.hostedInvoiceUrl,
      dueAt: row.dueAt ?? details.dueDate,
    };
    if (forward) values.status = next;
    if (event.type === 'invoice.sent' && !row.sentAt) values.sentAt = at;
    if (event.type === 'invoice.payment_failed' && row.status !== 'paid')
      values.failure = `A payment attempt failed at Stripe (${event.eventId}); the invoice stays ${next ?? row.status}.`;
    if (forward && (next === 'void' || next === 'uncollectible')) values.closedAt = details.closedAt ?? at;
    if (next === 'paid') {
      // The ledger is written whenever Stripe says paid, not only on the move to paid: the key
      // makes a second posting nothing, and a paid row whose posting was lost is completed.
      if (details.currency !== row.currency.trim()) {
        values.failure = `Stripe says paid in ${details.currency}, not ${row.currency}: not posted.`;
      } else if (details.amountPaidMinor > 0) {
        await postTransfer(
          tx,
          invoicePaymentTransfer(
            row,
            details.amountPaidMinor,
            `Stripe invoice ${details.number ?? details.invoiceId} (${row.period})`,
          ),
        );
        if (forward) values.failure = null;
      }
      if (forward) values.paidAt = details.paidAt ?? at;
    }
    await tx
      .update(invoices)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(invoices.id, row.id));
    // A payment lowers what is owed: an advertiser stopped at its credit limit serves again now,
    // not at the next sweep (as a top-up does; an edge that refuses undoes only the funds state).
    if (next === 'paid' && funds)
      await syncFundsStateLogged({ db: tx, ...funds }, [row.advertiserId], new Date());
  };

export const INVOICE_EVENT_TYPES = [
  'invoice.finalized',
  'invoice.sent',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.voided',
  'invoice.marked_uncollectible',
] as const;

/**
 * The postpaid invoices' handlers on the processors' registry (decision 025); a registry that has
 * them already (an app built twice on one registry) is left as it is.
 */
export function registerInvoiceWebhooks(
  handlers: WebhookHandlers,
  funds?: InvoiceFundsDeps,
): WebhookHandlers {
  const handler = onInvoiceEvent(funds);
  for (const type of INVOICE_EVENT_TYPES) {
    if (!handlers.handlerFor('stripe', type)) handlers.on('stripe', type, handler);
  }
  return handlers;
}
