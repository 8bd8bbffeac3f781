import type { EventEnvelope, TrackingEvent } from '@tas/shared/events';

/**
 * Click events leave the isolate grouped: the first click after a flush opens an envelope and,
 * inside its own `waitUntil`, sends it as ONE Queue message after a short linger; clicks arriving
 * meanwhile only append to it. One Queue operation per envelope instead of per click (Queues
 * are billed and rate-limited per operation, and each send is a round trip), and the consumer
 * receives ready-made batches.
 *
 * No request ever awaits another request's I/O: only the opener sends, the others return at once.
 * The cost: a click waits up to LINGER_MS in memory after its answer (covered by the opener's
 * waitUntil). Conversions do not use this: each is sent and awaited before "accepted".
 */
const LINGER_MS = 25;
// A Queue message may be 128 KB; stay well under it (JSON size, counted as the events arrive).
const MAX_ENVELOPE_BYTES = 96 * 1024;
const MAX_EVENTS = 500;

type Envelope = { events: TrackingEvent[]; bytes: number; sealed: boolean };
let open: Envelope | null = null;

// An upper bound of the event's JSON size without serializing it: a fixed allowance for keys,
// numbers and short fields, plus twice the length of every field that can be long (JSON escaping
// of ASCII at most doubles it; headers cannot carry the control characters that take more).
function sizeOf(event: TrackingEvent): number {
  let bytes = 1200;
  for (const value of event.type === 'click'
    ? [
        event.userAgent,
        event.referrer,
        event.sub1,
        event.sub2,
        event.sub3,
        event.sub4,
        event.sub5,
        event.sourceId,
        event.gclid,
        event.fbclid,
        event.msclkid,
        event.ttclid,
      ]
    : event.type === 'conversion'
      ? [event.userAgent, event.txid]
      : []) {
    if (value) bytes += value.length * 2;
  }
  return bytes;
}

export function enqueueEvent(
  queue: Queue,
  event: TrackingEvent,
  waitUntil: (promise: Promise<unknown>) => void,
): void {
  const bytes = sizeOf(event);
  if (open && !open.sealed && open.bytes + bytes <= MAX_ENVELOPE_BYTES && open.events.length < MAX_EVENTS) {
    open.events.push(event);
    open.bytes += bytes;
    return;
  }
  if (open) open.sealed = true;
  const envelope: Envelope = { events: [event], bytes, sealed: false };
  open = envelope;
  waitUntil(
    new Promise((resolve) => setTimeout(resolve, LINGER_MS))
      .then(() => {
        envelope.sealed = true;
        if (open === envelope) open = null;
        const body: EventEnvelope = { events: envelope.events };
        return queue.send(body, { contentType: 'json' });
      })
      .catch((error: unknown) => {
        console.error(
          JSON.stringify({
            msg: 'click events not queued',
            count: envelope.events.length,
            ids: envelope.events.map((e) => e.id),
            error: String(error),
          }),
        );
      }),
  );
}
