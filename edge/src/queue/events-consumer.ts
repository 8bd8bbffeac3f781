import { type TrackingEvent, trackingEventSchema } from '@tas/shared/events';
import { SIGNATURE_HEADER, signBody } from '@tas/shared/signature';
import type { Bindings } from '../settings.ts';
import { settingsOf } from '../settings.ts';
import { retryDelaySeconds } from './retry-delay.ts';

/**
 * Drains the events Queue into the control plane: one signed POST per batch. The ingest is
 * idempotent by event id, so a retry after a lost answer never double counts. If the control
 * plane is down, every message is retried with backoff and, after max_retries, lands in the
 * dead-letter queue instead of being dropped.
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const settings = settingsOf(env);
  const valid: { message: Message<unknown>; event: TrackingEvent }[] = [];
  for (const message of batch.messages) {
    const parsed = trackingEventSchema.safeParse(message.body);
    if (parsed.success) valid.push({ message, event: parsed.data });
    else {
      // Only our own producers write here; an invalid message is a bug. Keep it: it goes to the
      // dead-letter queue after its retries instead of vanishing.
      console.error(JSON.stringify({ msg: 'invalid event message', id: message.id }));
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
  if (valid.length === 0) return;

  const body = JSON.stringify({ events: valid.map((v) => v.event) });
  let failure: string | null = null;
  try {
    const response = await fetch(`${settings.controlPlaneUrl}/internal/ingest`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: await signBody(settings.ingestSigningSecret, body),
      },
      body,
    });
    if (!response.ok) failure = `status ${response.status}: ${(await response.text()).slice(0, 300)}`;
  } catch (error) {
    failure = String(error);
  }
  if (failure === null) {
    for (const { message } of valid) message.ack();
    return;
  }
  console.error(JSON.stringify({ msg: 'ingest failed, retrying batch', size: valid.length, failure }));
  for (const { message } of valid) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
}
