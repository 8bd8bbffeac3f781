import { eventEnvelopeSchema } from '@tas/shared/events';
import { postIngest } from '../queue/post-ingest.ts';
import { type Bindings, settingsOf } from '../settings.ts';

export const DEAD_LETTER_STORE = 'dead-letters';

/**
 * Handler of the dead-letter queue: one more attempt to deliver (the control plane may be back);
 * whatever still fails is stored in the DeadLetterStore for replay. Messages are acked only once
 * they are delivered or stored.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const settings = settingsOf(env);
  const envelopes = batch.messages.map((m) => eventEnvelopeSchema.safeParse(m.body));
  const events = envelopes.flatMap((e) => (e.success ? e.data.events : []));
  const allValid = envelopes.every((e) => e.success);
  const delivered = allValid && events.length > 0 && (await postIngest(settings, events)) === null;
  if (!delivered) {
    const store = env.DEAD_LETTERS.get(env.DEAD_LETTERS.idFromName(DEAD_LETTER_STORE));
    const total = await store.store(batch.messages.map((m) => ({ messageId: m.id, body: m.body })));
    console.error(
      JSON.stringify({ msg: 'events stored as dead letters', messages: batch.messages.length, total }),
    );
  }
  batch.ackAll();
}
