import type { Payout, PayoutRun } from '../db/schema/payouts.ts';
import type { PayoutDecision } from './eligibility.ts';

/** The API's view of a run (times as ISO strings). */
export const runView = (run: PayoutRun) => ({
  id: run.id,
  startedBy: run.startedBy,
  periodKey: run.periodKey,
  schedule: run.schedule,
  cutoff: run.cutoff.toISOString(),
  status: run.status,
  paypalBatchId: run.paypalBatchId,
  lastError: run.lastError,
  createdAt: run.createdAt.toISOString(),
  completedAt: run.completedAt?.toISOString() ?? null,
});

export const payoutView = (p: Payout) => ({
  id: p.id,
  runId: p.runId,
  affiliateId: p.affiliateId,
  currency: p.currency.trim(),
  amountMinor: p.amountMinor,
  method: p.method,
  status: p.status,
  processorReference: p.processorReference,
  failureReason: p.failureReason,
  createdAt: p.createdAt.toISOString(),
  sentAt: p.sentAt?.toISOString() ?? null,
  settledAt: p.settledAt?.toISOString() ?? null,
});

export const decisionView = (d: PayoutDecision) => ({
  affiliateId: d.affiliateId,
  currency: d.currency,
  balanceMinor: d.balanceMinor,
  heldMinor: d.heldMinor,
  dueMinor: d.dueMinor,
  minimumMinor: d.minimumMinor,
  method: d.method,
  amountMinor: d.pay ? d.amountMinor : null,
  skipReason: d.pay ? null : d.reason,
});
