import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import type {
  CheckOutcome,
  CheckPart,
  ReconciliationCheck,
  ReconciliationContext,
  ReconciliationDifference,
} from '../ledger/reconciliation-check.ts';
import { ok, type ProcessorResult } from '../processors/processor-result.ts';
import { reconcilePayPalPayouts } from './paypal-payout-reconciliation.ts';
import { reconcileStripeTopUps } from './stripe-top-up-reconciliation.ts';
import { reconcileStripeTransfers } from './stripe-transfer-reconciliation.ts';

// Calls in flight per processor while reading records one by one: well under Stripe's rate limit
// (about 100 a second) and PayPal's, beside whatever else the control plane is sending.
const STRIPE_READS = 8;
const PAYPAL_BATCH_READS = 4;

type ProcessorPart = {
  name: 'stripe' | 'paypal';
  label: string;
  setting: string;
  /** How many of TAS's records since then went through it (what goes unproven if it is not read). */
  recordsSince: (db: Database, since: Date) => Promise<number>;
  /** Null when the processor is not configured. */
  reconcile: (
    db: Database,
    context: ReconciliationContext,
  ) => Promise<ProcessorResult<ReconciliationDifference[]> | null>;
};

const count = async (db: Database, query: ReturnType<typeof sql>) =>
  Number((await queryRows<{ n: number | string }>(db, query))[0]?.n ?? 0);

const PARTS: readonly ProcessorPart[] = [
  {
    name: 'stripe',
    label: 'Stripe',
    setting: 'STRIPE_SECRET_KEY',
    recordsSince: (db, since) =>
      count(
        db,
        sql`SELECT (SELECT count(*) FROM top_ups WHERE checkout_session_id IS NOT NULL AND created_at >= ${since.toISOString()}::timestamptz)
                 + (SELECT count(*) FROM payouts WHERE method = 'stripe_connect' AND posted_at IS NOT NULL
                      AND created_at >= ${since.toISOString()}::timestamptz) AS n`,
      ),
    reconcile: async (db, context) => {
      const stripe = context.processors.stripe;
      if (!stripe) return null;
      const options = { since: context.since, concurrency: STRIPE_READS };
      const topUps = await reconcileStripeTopUps(db, stripe, options);
      if (!topUps.ok) return topUps;
      const transfers = await reconcileStripeTransfers(db, stripe, options);
      if (!transfers.ok) return transfers;
      return ok([...topUps.value, ...transfers.value]);
    },
  },
  {
    name: 'paypal',
    label: 'PayPal',
    setting: 'PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET',
    recordsSince: (db, since) =>
      count(
        db,
        sql`SELECT count(*) AS n FROM payouts WHERE method = 'paypal' AND posted_at IS NOT NULL
            AND created_at >= ${since.toISOString()}::timestamptz`,
      ),
    reconcile: async (db, context) => {
      const paypal = context.processors.paypal;
      if (!paypal) return null;
      return reconcilePayPalPayouts(db, paypal, { since: context.since, concurrency: PAYPAL_BATCH_READS });
    },
  },
];

/**
 * The `processors` part of the reconciliation (decision 021): TAS's records made since
 * `context.since` equal each processor's own, read through the processors' clients; every
 * difference named by its ids. A processor not configured is not checked (and leaves the result
 * incomplete only if TAS has records of it in the window: those go unproven); one that cannot be
 * read is reported so, with nothing else said of it, since half its records prove nothing.
 */
export const checkProcessors: NonNullable<ReconciliationCheck['run']> = async (
  db,
  report,
  context,
): Promise<CheckOutcome> => {
  const results = await Promise.all(
    PARTS.map(async (part) => ({ part, result: await part.reconcile(db, context) })),
  );
  const parts: CheckPart[] = [];
  let complete = true;
  for (const { part, result } of results) {
    if (result === null) {
      const records = await part.recordsSince(db, context.since);
      complete &&= records === 0;
      parts.push({
        name: part.name,
        status: 'not_checked',
        differences: 0,
        reason: 'not_configured',
        message: `${part.label} is not configured (${part.setting})${records > 0 ? `, yet TAS has ${records} of its top-ups or payouts since ${context.since.toISOString()}: they are not checked` : ''}.`,
      });
    } else if (!result.ok) {
      complete = false;
      parts.push({
        name: part.name,
        status: 'not_checked',
        differences: 0,
        reason: 'unavailable',
        message: `${part.label} could not be read (${result.failure.kind}): ${result.failure.message}`,
      });
    } else {
      for (const d of result.value) report(d);
      parts.push({
        name: part.name,
        status: result.value.length > 0 ? 'differences' : 'clean',
        differences: result.value.length,
        reason: null,
        message: null,
      });
    }
  }
  return { complete, parts };
};
