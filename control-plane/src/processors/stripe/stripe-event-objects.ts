import { z } from 'zod';
import type { ProcessorEvent } from '../../db/schema/processor-events.ts';

// The objects inside Stripe events that TAS acts on, read with schemas: a verified signature says
// who sent the body, not that it has the shape a handler expects.

const objectOf = (event: ProcessorEvent) => (event.payload as { data?: { object?: unknown } }).data?.object;

const checkoutSessionSchema = z.object({
  id: z.string(),
  object: z.literal('checkout.session'),
  mode: z.string(),
  status: z.string().nullable(),
  payment_status: z.string(),
  amount_total: z.number().int().nullable(),
  currency: z.string().nullable(),
  metadata: z.record(z.string(), z.string()).nullable(),
});

/** A top-up's Checkout Session from `checkout.session.*` events: who pays, how much, whether paid. */
export type CheckoutTopUp = {
  sessionId: string;
  advertiserId: number;
  amountMinor: number;
  currency: string;
  /** True once the money is Stripe's (card payments: at completion; delayed methods: later). */
  paid: boolean;
};

/** The top-up in a checkout.session event, or null when the session is not a TAS top-up. */
export function checkoutTopUpOf(event: ProcessorEvent): CheckoutTopUp | null {
  const session = checkoutSessionSchema.safeParse(objectOf(event));
  if (!session.success || session.data.metadata?.purpose !== 'top_up') return null;
  const advertiserId = Number(session.data.metadata.advertiser_id);
  if (!Number.isSafeInteger(advertiserId) || advertiserId <= 0) return null;
  if (session.data.amount_total === null || !session.data.currency) return null;
  return {
    sessionId: session.data.id,
    advertiserId,
    amountMinor: session.data.amount_total,
    currency: session.data.currency.toUpperCase(),
    paid: session.data.payment_status === 'paid' || session.data.payment_status === 'no_payment_required',
  };
}

const transferSchema = z.object({
  id: z.string(),
  object: z.literal('transfer'),
  amount: z.number().int(),
  amount_reversed: z.number().int(),
  currency: z.string(),
  destination: z.string().nullable(),
  reversed: z.boolean(),
  metadata: z.record(z.string(), z.string()).default({}),
});

/** A Connect transfer in a `transfer.*` event, with the TAS key it was made with. */
export function transferEventOf(event: ProcessorEvent) {
  const transfer = transferSchema.safeParse(objectOf(event));
  if (!transfer.success) return null;
  return {
    transferId: transfer.data.id,
    accountId: transfer.data.destination,
    amountMinor: transfer.data.amount,
    amountReversedMinor: transfer.data.amount_reversed,
    currency: transfer.data.currency.toUpperCase(),
    reversed: transfer.data.reversed,
    /** The idempotency key TAS sent (the payout's ledger key), from the transfer's metadata. */
    tasKey: transfer.data.metadata.tas_key ?? null,
  };
}

const payoutSchema = z.object({
  id: z.string(),
  object: z.literal('payout'),
  amount: z.number().int(),
  currency: z.string(),
  status: z.string(),
  failure_code: z.string().nullable().optional(),
});

/**
 * A connected account's payout to its bank in a `payout.*` Connect event (`account` names the
 * affiliate's account). A failed one means the money is back on the affiliate's Stripe balance,
 * not TAS's: the affiliate must fix their bank details in Stripe.
 */
export function connectPayoutOf(event: ProcessorEvent) {
  const payout = payoutSchema.safeParse(objectOf(event));
  const account = (event.payload as { account?: unknown }).account;
  if (!payout.success || typeof account !== 'string') return null;
  return {
    payoutId: payout.data.id,
    accountId: account,
    amountMinor: payout.data.amount,
    currency: payout.data.currency.toUpperCase(),
    status: payout.data.status,
    failureCode: payout.data.failure_code ?? null,
  };
}

const accountSchema = z.object({
  id: z.string(),
  object: z.literal('account'),
  payouts_enabled: z.boolean().nullable().optional(),
  details_submitted: z.boolean().nullable().optional(),
  metadata: z.record(z.string(), z.string()).default({}),
});

/** An affiliate's connected account in `account.updated`: whether Stripe now pays it out. */
export function connectedAccountEventOf(event: ProcessorEvent) {
  const account = accountSchema.safeParse(objectOf(event));
  if (!account.success) return null;
  const affiliateId = Number(account.data.metadata.affiliate_id);
  return {
    accountId: account.data.id,
    affiliateId: Number.isSafeInteger(affiliateId) && affiliateId > 0 ? affiliateId : null,
    payoutsEnabled: account.data.payouts_enabled ?? false,
    detailsSubmitted: account.data.details_submitted ?? false,
  };
}

const invoiceSchema = z.object({
  id: z.string(),
  object: z.literal('invoice'),
  status: z.string().nullable(),
  amount_due: z.number().int(),
  amount_paid: z.number().int(),
  currency: z.string(),
  metadata: z.record(z.string(), z.string()).nullable().default({}),
});

/** A postpaid invoice in `invoice.*` events, with the period key TAS created it with. */
export function invoiceEventOf(event: ProcessorEvent) {
  const invoice = invoiceSchema.safeParse(objectOf(event));
  if (!invoice.success) return null;
  return {
    invoiceId: invoice.data.id,
    status: invoice.data.status,
    amountDueMinor: invoice.data.amount_due,
    amountPaidMinor: invoice.data.amount_paid,
    currency: invoice.data.currency.toUpperCase(),
    tasKey: invoice.data.metadata?.tas_key ?? null,
  };
}

const invoiceDetailsSchema = invoiceSchema.extend({
  number: z.string().nullable().optional(),
  hosted_invoice_url: z.string().nullable().optional(),
  due_date: z.number().int().nullable().optional(),
  status_transitions: z
    .object({
      finalized_at: z.number().int().nullable().optional(),
      paid_at: z.number().int().nullable().optional(),
      voided_at: z.number().int().nullable().optional(),
      marked_uncollectible_at: z.number().int().nullable().optional(),
    })
    .partial()
    .nullable()
    .optional(),
});

const stripeTime = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000) : null);

/**
 * A postpaid invoice in `invoice.*` events with what TAS shows of it (number, hosted page, due
 * date, when it was paid or closed) and the TAS invoice id it was made for (metadata
 * `tas_invoice_id`); null when the object is not an invoice.
 */
export function invoiceDetailsOf(event: ProcessorEvent) {
  const invoice = invoiceDetailsSchema.safeParse(objectOf(event));
  if (!invoice.success) return null;
  const data = invoice.data;
  return {
    invoiceId: data.id,
    status: data.status,
    number: data.number ?? null,
    hostedInvoiceUrl: data.hosted_invoice_url ?? null,
    dueDate: stripeTime(data.due_date),
    amountDueMinor: data.amount_due,
    amountPaidMinor: data.amount_paid,
    currency: data.currency.toUpperCase(),
    tasInvoiceId: data.metadata?.tas_invoice_id ?? null,
    paidAt: stripeTime(data.status_transitions?.paid_at),
    closedAt: stripeTime(
      data.status_transitions?.voided_at ?? data.status_transitions?.marked_uncollectible_at,
    ),
  };
}
export type InvoiceDetails = NonNullable<ReturnType<typeof invoiceDetailsOf>>;
