import { type TrackingEvent, trackingEventSchema } from '@tas/shared/events';
import type { QuarantineEntry } from './quarantine.ts';

/**
 * Judges each event of a batch alone against the event schema, whose bounds are the database's
 * own: the valid ones are stored, each invalid one is quarantined with what is wrong with it.
 * One bad event never decides the fate of another.
 */
export function judgeEvents(raw: readonly unknown[]): { valid: TrackingEvent[]; invalid: QuarantineEntry[] } {
  const valid: TrackingEvent[] = [];
  const invalid: QuarantineEntry[] = [];
  for (const event of raw) {
    const parsed = trackingEventSchema.safeParse(event);
    if (parsed.success) {
      valid.push(parsed.data);
      continue;
    }
    const detail = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`)
      .join('; ');
    invalid.push({ event, reasonCode: 'invalid_event', reason: `Not a valid event: ${detail}` });
  }
  return { valid, invalid };
}
