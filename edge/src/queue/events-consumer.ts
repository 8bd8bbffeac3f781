import { type TrackingEvent, trackingEventSchema } from '@tas/shared/events';
import { type Bindings, settingsOf } from '../settings.ts';
import { postIngest } from './post-ingest.ts';
import { retryDelaySeconds } from './retry-delay.ts';

/**
 * Drains the events Queue into the control plane: one signed POST per batch. The ingest is
 * idempotent by event id, so a retry after a lost answer never double counts. If the control
 * plane is down, each message is retried with its own backoff and, after max_retries, moves to
 * the dead-letter queue (dead-letters/dead-letter-consumer.ts) instead of being dropped.
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const settings = settingsOf(env);
  const valid: { message: Message<unknown>; event: TrackingEvent }[] = [];
  for (const message of batch.messages) {
    const parsed = trackingEventSchema.safeParse(message.body);
    if (parsed.success) valid.push({ message, event: parsed.data });
    else {
      // Only our own producers write here; an invalid message is a bug. Keep it: after its
      // retries it reaches the dead-letter store instead of vanishing.
      console.error(JSON.stringify({ msg: 'invalid event message', id: message.id }));
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
  if (valid.length === 0) return;

  const failure = await postIngest(
    settings,
    valid.map((v) => v.event),
  );
  if (failure === null) {
    for (const { message } of valid) message.ack();
    return;
  }
  console.error(JSON.stringify({ msg: 'ingest failed, retrying batch', size: valid.length, failure }));
  for (const { message } of valid) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
}
