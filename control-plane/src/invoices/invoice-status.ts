import { z } from 'zod';
import { invoiceStatus } from '../db/schema/invoices.ts';

export const invoiceStatusSchema = z.enum(invoiceStatus.enumValues);
export type InvoiceStatus = z.infer<typeof invoiceStatusSchema>;

// An invoice's life at Stripe: draft -> open -> paid | void | uncollectible, and an uncollectible
// one can still be paid or voided. Paid and void are final.
const RANK: Record<InvoiceStatus, number> = { draft: 0, open: 1, uncollectible: 2, paid: 3, void: 3 };

/**
 * Whether Stripe's news of `next` moves an invoice on from `current`. Events come late, twice and
 * out of order: a `finalized` (open) after `paid`, or `marked_uncollectible` after `paid`, is stale
 * and changes nothing.
 */
export function movesForward(current: InvoiceStatus, next: InvoiceStatus): boolean {
  return RANK[next] > RANK[current];
}

/** Stripe's invoice status as TAS's, or null for one TAS does not follow (Stripe's `deleted`). */
export function invoiceStatusOf(stripeStatus: string | null): InvoiceStatus | null {
  const parsed = invoiceStatusSchema.safeParse(stripeStatus);
  return parsed.success ? parsed.data : null;
}
