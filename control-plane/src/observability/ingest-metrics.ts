import { type ClickReason, clickReasonSchema } from '@tas/shared/events';
import { FRAUD_FLAGS } from '@tas/shared/fraud-rules';
import type { StoredBatch } from '../ingest/store-batch.ts';
import { STORED_CLICK_REASONS, storedClickReason } from '../ingest/stored-click-reason.ts';
import type { Metrics } from './metrics.ts';

const TYPES = new Set(['click', 'conversion', 'conversion_status']);
const FLAGS = new Set<string>(FRAUD_FLAGS);
const REASONS = new Set<string>(clickReasonSchema.options);
const isClickReason = (reason: unknown): reason is ClickReason =>
  typeof reason === 'string' && REASONS.has(reason);

const field = (event: unknown, key: string): unknown =>
  typeof event === 'object' && event !== null ? Reflect.get(event, key) : undefined;

/** The type of an event as sent, when it is one we know (labels stay few whatever arrives). */
function typeOf(event: unknown): string {
  const type = field(event, 'type');
  return typeof type === 'string' && TYPES.has(type) ? type : 'other';
}

function flagsOf(event: unknown): string[] {
  const flags = field(event, 'fraudFlags');
  return Array.isArray(flags) ? flags.filter((f): f is string => typeof f === 'string' && FLAGS.has(f)) : [];
}

/**
 * Why a click went to the fallback, when it did and the reason is one we know; a cap_reached
 * click whose cap counter was unreachable counts as cap_unavailable (TasCapCounterUnavailable).
 */
function fallbackReasonOf(event: unknown): string | null {
  if (field(event, 'type') !== 'click' || field(event, 'outcome') !== 'fallback') return null;
  const reason = field(event, 'reason');
  return isClickReason(reason)
    ? storedClickReason(reason, field(event, 'capCounterUnavailable') === true)
    : 'other';
}

/** A click let through without its fraud counters (they fail open): not checked for duplicates or velocity. */
const fraudUncheckedOf = (event: unknown): boolean =>
  field(event, 'type') === 'click' && field(event, 'fraudCounterUnavailable') === true;

/** The series the alerts read exist from the start, at 0, not from the first event. */
export function initIngestMetrics(metrics: Metrics): void {
  for (const type of [...TYPES, 'other']) {
    metrics.ingestEvents.inc({ type }, 0);
    metrics.ingestStored.inc({ type }, 0);
  }
  metrics.ingestQuarantined.inc(0);
  metrics.ingestDeferred.inc(0);
  for (const reason of STORED_CLICK_REASONS) metrics.ingestClickFallbacks.inc({ reason }, 0);
  metrics.ingestFraudUnchecked.inc(0);
}

/**
 * Counts one ingest batch: events by type, their fraud flags and click fallbacks as received, what was newly
 * stored and quarantined (when `stored` is known), and how long it took by outcome.
 */
export function recordIngestBatch(
  metrics: Metrics,
  batch: {
    events: readonly unknown[];
    stored: StoredBatch | null;
    seconds: number;
    outcome: 'ok' | 'unavailable' | 'error';
  },
): void {
  const byType = new Map<string, number>();
  const byFlag = new Map<string, number>();
  const byReason = new Map<string, number>();
  let fraudUnchecked = 0;
  for (const event of batch.events) {
    const type = typeOf(event);
    byType.set(type, (byType.get(type) ?? 0) + 1);
    for (const flag of flagsOf(event)) byFlag.set(flag, (byFlag.get(flag) ?? 0) + 1);
    const reason = fallbackReasonOf(event);
    if (reason) byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    if (fraudUncheckedOf(event)) fraudUnchecked++;
  }
  for (const [type, n] of byType) metrics.ingestEvents.inc({ type }, n);
  for (const [flag, n] of byFlag) metrics.ingestFraudFlags.inc({ flag }, n);
  for (const [reason, n] of byReason) metrics.ingestClickFallbacks.inc({ reason }, n);
  metrics.ingestFraudUnchecked.inc(fraudUnchecked);
  if (batch.stored) {
    metrics.ingestStored.inc({ type: 'click' }, batch.stored.clicksInserted);
    metrics.ingestStored.inc({ type: 'conversion' }, batch.stored.conversionsInserted);
    metrics.ingestStored.inc({ type: 'conversion_status' }, batch.stored.statusUpdates);
    metrics.ingestQuarantined.inc(batch.stored.quarantined);
    metrics.ingestDeferred.inc(batch.stored.deferred.length);
  }
  metrics.ingestBatchSeconds.observe({ outcome: batch.outcome }, batch.seconds);
}
