import type { EventEnvelope } from '@tas/shared/events';

// A sendBatch takes at most 100 messages (and 256 KB); a conversion is a few KB at most.
const MESSAGES_PER_SEND = 50;

const field = (event: unknown, key: string): unknown =>
  typeof event === 'object' && event !== null ? Reflect.get(event, key) : undefined;

/** The id an event is answered by (`deferred` names events by it). */
export function eventIdOf(event: unknown): string | null {
  const id = field(event, 'id');
  return typeof id === 'string' ? id : null;
}

/**
 * How long a deferred conversion waits before it is tried again: its click normally arrives
 * within a queue batch or two (about a second each), so a young one is tried again soon; one whose
 * click is minutes old is waiting for a click that is late or lost, and need not be tried every
 * few seconds until the ingest stops waiting (control-plane/src/ingest/early-conversions.ts).
 */
export function deferDelaySeconds(event: unknown, now: number = Date.now()): number {
  const clickedAt = Date.parse(String(field(event, 'clickedAt')));
  const ageSeconds = Number.isFinite(clickedAt) ? (now - clickedAt) / 1000 : 0;
  return Math.min(60, Math.max(2, Math.round(ageSeconds / 10)));
}

/**
 * Sends conversions the ingest held back for their click to the events queue again, each in a
 * message of its own (as the edge first sent it) delayed by deferDelaySeconds. Throws when the
 * queue refuses: the caller then keeps the original messages (retried whole; the ingest is
 * idempotent), so a deferral never loses a conversion.
 */
export async function requeueDeferred(queue: Queue, events: readonly unknown[]): Promise<void> {
  const messages = events.map((event) => ({
    body: { events: [event] } as EventEnvelope,
    contentType: 'json' as const,
    delaySeconds: deferDelaySeconds(event),
  }));
  for (let i = 0; i < messages.length; i += MESSAGES_PER_SEND)
    await queue.sendBatch(messages.slice(i, i + MESSAGES_PER_SEND));
}
