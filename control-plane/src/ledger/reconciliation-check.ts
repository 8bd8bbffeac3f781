import type { Database } from '../db/database.ts';
import type { AccountKey } from './ledger-accounts.ts';
import type { Layer } from './post-transfer.ts';

// What a part of the reconciliation finds and how it is plugged in; apart from reconciliation.ts
// so that parts living elsewhere (payouts) import these without importing the whole check.

export type ReconciliationDifference = {
  check: string;
  /**
   * unbalanced_transfer, empty_transfer, conversion_not_posted (never posted: run `ledger sync`),
   * conversion_mismatch, conversion_unpostable, transfer_without_conversion; later checks add theirs.
   */
  code: string;
  message: string;
  transferId: number | null;
  conversionId: string | null;
  payoutId: string | null;
  account: AccountKey | null;
  layer: Layer | null;
  expectedMinor: number | null;
  actualMinor: number | null;
};

/** Reports one difference found. */
export type Report = (difference: ReconciliationDifference) => void;

/**
 * A part of the reconciliation of decision 021. `run: null` marks a part not built yet: it is
 * reported as `not_checked`, never as clean.
 */
export type ReconciliationCheck = {
  name: string;
  run: ((db: Database, report: Report) => Promise<void>) | null;
};
