import { looseEnvelopeSchema } from '@tas/shared/events';
import { type Bindings, settingsOf } from '../settings.ts';
import { deliverParcels, type EventParcel, parcel } from './ingest-parts.ts';
import { eventIdOf, requeueDeferred } from './requeue-deferred.ts';
import { retryDelaySeconds } from './retry-delay.ts';

/**
 * Drains the events Queue into the control plane in signed POSTs within the ingest's limits. The
 * ingest is idempotent by event id, so a retry after a lost answer never double counts, and it
 * judges each event alone (quarantining the bad ones), so events are forwarded as they came. A
 * message is acked when its events were stored and retried with its own backoff otherwise; a
 * failing request is split so one message never holds back another (ingest-parts.ts). After
 * max_retries a message moves to the dead-letter queue (dead-letters/dead-letter-consumer.ts).
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const parcels: EventParcel<Message<unknown>>[] = [];
  for (const message of batch.messages) {
    const parsed = looseEnvelopeSchema.safeParse(message.body);
    if (!parsed.success) {
      // Only our own producers write here; a body that is not even an envelope is a bug. Keep
      // it: after its retries it reaches the dead-letter store instead of vanishing.
      console.error(JSON.stringify({ msg: 'invalid event message', id: message.id }));
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      continue;
    }
    parcels.push(parcel(message, parsed.data.events));
  }
  // The ingest logs this id (with `.n` per request) beside its counts: one id to find a batch by.
  const requestId = `q-${batch.messages[0]?.id ?? crypto.randomUUID()}`.slice(0, 100);
  const { delivered, failed, deferred } = await deliverParcels(settingsOf(env), parcels, {
    requestId,
    canDefer: true,
  });
  // The events of each delivered message that the ingest held back (none, mostly).
  const held = new Map<Message<unknown>, unknown[]>();
  if (deferred.size > 0) {
    const eventsOf = new Map(parcels.map((p) => [p.item, p.events]));
    for (const message of delivered) {
      const events = (eventsOf.get(message) ?? []).filter((e) => deferred.has(eventIdOf(e) ?? ''));
      if (events.length > 0) held.set(message, events);
    }
  }
  let requeued = true;
  if (held.size > 0) {
    requeued = await requeueDeferred(env.EVENTS, [...held.values()].flat()).then(
      () => true,
      (error: unknown) => {
        console.error(
          JSON.stringify({ msg: 'deferred events not requeued', requestId, error: String(error) }),
        );
        return false;
      },
    );
    console.log(
      JSON.stringify({ msg: 'conversions deferred for their click', requestId, count: deferred.size }),
    );
  }
  for (const message of delivered) {
    if (requeued || !held.has(message)) message.ack();
    else message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
  for (const { item: message, failure } of failed) {
    console.error(JSON.stringify({ msg: 'ingest failed, retrying', id: message.id, requestId, failure }));
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}
