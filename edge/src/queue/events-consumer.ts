import { eventEnvelopeSchema, MAX_INGEST_BATCH, type TrackingEvent } from '@tas/shared/events';
import { type Bindings, settingsOf } from '../settings.ts';
import { postIngest } from './post-ingest.ts';
import { retryDelaySeconds } from './retry-delay.ts';

/**
 * Drains the events Queue into the control plane: the events of a delivery go in signed POSTs of
 * at most MAX_INGEST_BATCH events. The ingest is idempotent by event id, so a retry after a lost
 * answer never double counts. Each message is acked when its POST succeeded and retried with its
 * own backoff otherwise; after max_retries it moves to the dead-letter queue
 * (dead-letters/dead-letter-consumer.ts) instead of being dropped.
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const settings = settingsOf(env);
  const groups: { messages: Message<unknown>[]; events: TrackingEvent[] }[] = [];
  for (const message of batch.messages) {
    const parsed = eventEnvelopeSchema.safeParse(message.body);
    if (!parsed.success) {
      // Only our own producers write here; an invalid message is a bug. Keep it: after its
      // retries it reaches the dead-letter store instead of vanishing.
      console.error(JSON.stringify({ msg: 'invalid event message', id: message.id }));
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      continue;
    }
    const last = groups.at(-1);
    if (last && last.events.length + parsed.data.events.length <= MAX_INGEST_BATCH) {
      last.messages.push(message);
      last.events.push(...parsed.data.events);
    } else {
      groups.push({ messages: [message], events: [...parsed.data.events] });
    }
  }
  await Promise.all(
    groups.map(async (group) => {
      const failure = await postIngest(settings, group.events);
      if (failure === null) {
        for (const message of group.messages) message.ack();
        return;
      }
      console.error(JSON.stringify({ msg: 'ingest failed, retrying', events: group.events.length, failure }));
      for (const message of group.messages)
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }),
  );
}
