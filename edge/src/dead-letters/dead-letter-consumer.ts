import { looseEnvelopeSchema } from '@tas/shared/events';
import { deliverParcels, type EventParcel, parcel } from '../queue/ingest-parts.ts';
import { type Bindings, settingsOf } from '../settings.ts';

export const DEAD_LETTER_STORE = 'dead-letters';

/**
 * Handler of the dead-letter queue: one more attempt to deliver (the control plane may be back),
 * within the ingest's limits and split so that one letter does not hold back another; whatever
 * still fails, and bodies that are not envelopes at all, is stored in the DeadLetterStore for
 * replay. Messages are acked only once they are delivered or stored.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const parcels: EventParcel<Message<unknown>>[] = [];
  const keep: Message<unknown>[] = [];
  for (const message of batch.messages) {
    const parsed = looseEnvelopeSchema.safeParse(message.body);
    if (parsed.success) parcels.push(parcel(message, parsed.data.events));
    else keep.push(message);
  }
  const { failed } = await deliverParcels(settingsOf(env), parcels);
  keep.push(...failed.map((f) => f.item));
  if (keep.length > 0) {
    const store = env.DEAD_LETTERS.get(env.DEAD_LETTERS.idFromName(DEAD_LETTER_STORE));
    const total = await store.store(keep.map((m) => ({ messageId: m.id, body: m.body })));
    console.error(JSON.stringify({ msg: 'events stored as dead letters', messages: keep.length, total }));
  }
  batch.ackAll();
}
