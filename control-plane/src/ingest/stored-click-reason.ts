import { type ClickReason, clickReasonSchema } from '@tas/shared/events';

/**
 * Why a click went to the fallback, as the control plane stores and counts it: the edge's
 * reasons, and `cap_unavailable`, a cap_reached click whose cap counter the edge could not reach
 * (its event's `capCounterUnavailable`). The edge keeps sending such clicks as cap_reached, which
 * every control plane accepts (shared/src/events.ts); telling them apart here is what lets an
 * operator see a counter outage rather than caps being reached. `clicks.reason` is text, so the
 * value needs no migration.
 */
export const STORED_CLICK_REASONS = [...clickReasonSchema.options, 'cap_unavailable'] as const;
export type StoredClickReason = (typeof STORED_CLICK_REASONS)[number];

export function storedClickReason(
  reason: ClickReason | null,
  capCounterUnavailable: boolean,
): StoredClickReason | null {
  return reason === 'cap_reached' && capCounterUnavailable ? 'cap_unavailable' : reason;
}
