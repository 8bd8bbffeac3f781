import { utf8Length } from '@tas/shared/clean-text';
import { type EventEnvelope, MAX_ENVELOPE_EVENTS, type TrackingEvent } from '@tas/shared/events';
import { shardOrder } from './event-queues.ts';
import { countSendFailure } from './send-failures.ts';

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
// 100 ms, not the 25 ms of decision 007: envelopes per second are bounded by isolates / linger,
// and this keeps each events queue far under its limit (decision 031, scripts/scale-model.ts).
const LINGER_MS = 100;
// A Queue message may be 128 KB; stay well under it, counting the exact UTF-8 bytes of each event
// as JSON (a sub full of CJK text takes 3 bytes a character, an escaped quote 2).
const MAX_ENVELOPE_BYTES = 96 * 1024;
// `{"events":[` and `]}`.
const ENVELOPE_OVERHEAD_BYTES = 13;

type Envelope = { events: TrackingEvent[]; bytes: number; sealed: boolean };

let open: Envelope | null = null;

/** Bytes the event adds to an envelope's JSON: itself and the comma before it. */
export function envelopeBytesOf(event: TrackingEvent): number {
  return utf8Length(JSON.stringify(event)) + 1;
}

/** `queues` are the shards of the events queue (`eventQueues(env)`); each envelope goes to one. */
export function enqueueEvent(
  queues: readonly Queue[],
  event: TrackingEvent,
  waitUntil: (promise: Promise<unknown>) => void,
): void {
  const bytes = envelopeBytesOf(event);
  if (
    open &&
    !open.sealed &&
    open.bytes + bytes <= MAX_ENVELOPE_BYTES &&
    open.events.length < MAX_ENVELOPE_EVENTS
  ) {
    open.events.push(event);
    open.bytes += bytes;
    return;
  }
  if (open) open.sealed = true;
  const envelope: Envelope = { events: [event], bytes: ENVELOPE_OVERHEAD_BYTES + bytes, sealed: false };
  open = envelope;
  waitUntil(
    new Promise((resolve) => setTimeout(resolve, LINGER_MS))
      .then(() => {
        envelope.sealed = true;
        if (open === envelope) open = null;
        const body: EventEnvelope = { events: envelope.events };
        return sendToShards(queues, body);
      })
      .catch((error: unknown) => {
        console.error(
          JSON.stringify({
            msg: 'click events not queued',
            count: envelope.events.length,
            ids: envelope.events.map((e) => e.id),
            attempts: queues.length * (ROUND_DELAYS_MS.length + 1),
            failuresInIsolate: countSendFailure(),
            error: String(error),
          }),
        );
      }),
  );
}

// A send one shard refuses is tried at once on another (that queue may be over its rate, or
// down); only when every shard has refused it in turn does the envelope wait and go round again,
// since then the blip is the Queues service's. The visitor has had their answer; only the
// isolate's own lifetime bounds this.
const ROUND_DELAYS_MS = [50, 250, 1000];

async function sendToShards(queues: readonly Queue[], body: EventEnvelope): Promise<void> {
  const order = shardOrder(queues.length);
  for (let round = 0, attempt = 0; ; round++) {
    for (const [place, shard] of order.entries()) {
      attempt++;
      try {
        await queues[shard]!.send(body, { contentType: 'json' });
        return;
      } catch (error) {
        const delay = place < order.length - 1 ? 0 : ROUND_DELAYS_MS[round];
        if (delay === undefined) throw error;
        console.warn(
          JSON.stringify({
            msg: 'queue send failed, retrying',
            count: body.events.length,
            attempt,
            shard,
            nextShard: order[(place + 1) % order.length],
            delayMs: delay,
            error: String(error),
          }),
        );
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
