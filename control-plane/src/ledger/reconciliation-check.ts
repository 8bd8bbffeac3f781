import type { Database } from '../db/database.ts';
import type { PayPalProcessor } from '../processors/paypal/paypal-client.ts';
import type { StripeProcessor } from '../processors/stripe/stripe-client.ts';
import type { AccountKey } from './ledger-accounts.ts';
import type { Layer } from './post-transfer.ts';

// What a part of the reconciliation finds and how it is plugged in; apart from reconciliation.ts
// so that parts living elsewhere (payouts, reconciliation/) import these without importing the
// whole check.

export type ReconciliationDifference = {
  check: string;
  /**
   * unbalanced_transfer, empty_transfer, conversion_not_posted (never posted: run `ledger sync`),
   * conversion_mismatch, conversion_unpostable, transfer_without_conversion; payout_...;
   * processor_amount_mismatch, processor_status_mismatch, processor_record_missing,
   * processor_unknown_record; later checks add theirs.
   */
  code: string;
  message: string;
  transferId: number | null;
  conversionId: string | null;
  payoutId: string | null;
  account: AccountKey | null;
  layer: Layer | null;
  /** For a processor's figure: the processor's; otherwise what the figures call for. */
  expectedMinor: number | null;
  actualMinor: number | null;
  // Optional so that checks naming none of these need not say so; the result fills in null.
  /** The processor whose record differs: stripe, paypal. */
  processor?: string | null;
  /** The processor's id of its record: a Checkout Session, a transfer, a PayPal payout item or batch. */
  processorRecordId?: string | null;
  topUpId?: string | null;
};

/** Reports one difference found. */
export type Report = (difference: ReconciliationDifference) => void;

/** What a check may need beyond the database. */
export type ReconciliationContext = {
  /** The processors as configured; null when not configured. */
  processors: { stripe: StripeProcessor | null; paypal: PayPalProcessor | null };
  /** Checks that read records outside TAS (the processors') look at those made since then. */
  since: Date;
  now: Date;
};

/**
 * One part of a check that can be checked or not on its own (a processor). `not_checked` says why:
 * the processor is not configured, or could not be reached (or refused TAS's keys).
 */
export type CheckPart = {
  name: string;
  status: 'clean' | 'differences' | 'not_checked';
  differences: number;
  reason: 'not_configured' | 'unavailable' | null;
  message: string | null;
};

/** What a check says beyond its differences: its parts, and whether it checked all it had to. */
export type CheckOutcome = { complete: boolean; parts: CheckPart[] };

/**
 * A part of the reconciliation of decision 021. `run: null` marks a part not built yet: it is
 * reported as `not_checked`, never as clean. A run returning `complete: false` (a processor down)
 * is reported `not_checked` unless it found differences, and the result is not complete.
 */
export type ReconciliationCheck = {
  name: string;
  run: // biome-ignore lint/suspicious/noConfusingVoidType: checks with nothing to add return nothing
  ((db: Database, report: Report, context: ReconciliationContext) => Promise<CheckOutcome | void>) | null;
};
