import { DEFAULT_BILLING_TERMS, saveBillingTerms } from '../src/billing/billing-settings.ts';
import type { Database } from '../src/db/database.ts';
import { periodContaining } from '../src/invoices/invoice-periods.ts';
import type { InvoiceRunDeps } from '../src/invoices/invoice-run.ts';
import type { ProcessorDeps } from '../src/processors/processor-deps.ts';
import type { TestApp } from './api-client.ts';
import type { StripeFake } from './fakes/stripe-fake.ts';
import { payableWorld } from './payout-setup.ts';

/**
 * Ledger rows carry the real time of their transaction, so invoice tests run the clock forward
 * instead: an hour into next month, when this month (holding everything posted now) has ended.
 */
export const thisMonth = () => periodContaining(new Date(), 'monthly');
export const afterThisMonth = (hours = 1) => new Date(thisMonth().end.getTime() + hours * 3_600_000);

/** Invoice run dependencies on that clock (or another). */
export const runDeps = (db: Database, processors: ProcessorDeps, now = afterThisMonth()): InvoiceRunDeps => ({
  db,
  processors,
  now: () => now,
});

/**
 * An advertiser on postpaid terms (monthly, net 30, saved as an admin saves them: without terms
 * TAS does not invoice) owing 4 approved conversions of 25.00 USD on one offer, posted now.
 */
export async function owingWorld(app: TestApp, db: Database) {
  const world = await payableWorld(app, db, 4);
  await saveBillingTerms(db, world.advertiser.advertiserId ?? 0, DEFAULT_BILLING_TERMS);
  return world;
}

/** Delivers a Stripe event to the app's webhook endpoint, signed as Stripe signs it. */
export function deliverStripe(app: TestApp, stripe: StripeFake, event: unknown) {
  const { body, headers } = stripe.signed(event);
  return app.request('/webhooks/stripe', { method: 'POST', body, headers });
}
