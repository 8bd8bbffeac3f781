import { looseEnvelopeSchema } from '@tas/shared/events';
import { Hono } from 'hono';
import { requireSignedRequest } from '../http/signed-request.ts';
import { deliverParcels, parcel } from '../queue/ingest-parts.ts';
import { type Bindings, settingsOf } from '../settings.ts';
import { DEAD_LETTER_STORE } from './dead-letter-consumer.ts';

/** Letters one replay call sends at most; an operator (or edge:admin) calls again for more. */
const LETTERS_PER_REPLAY = 200;

/** Operator endpoints for the dead-letter store, signed like configuration publishing. */
export const deadLetterRoute = new Hono<{ Bindings: Bindings }>();

deadLetterRoute.use(requireSignedRequest);

deadLetterRoute.post('/count', async (c) => {
  const store = c.env.DEAD_LETTERS.get(c.env.DEAD_LETTERS.idFromName(DEAD_LETTER_STORE));
  return c.json({ stored: await store.count() });
});

/**
 * Sends the oldest letters again, in requests within the ingest's limits, and forgets those the
 * control plane stored. A letter that still fails stays, and is named with why, so one bad letter
 * never blocks the replay of the others.
 */
deadLetterRoute.post('/replay', async (c) => {
  const store = c.env.DEAD_LETTERS.get(c.env.DEAD_LETTERS.idFromName(DEAD_LETTER_STORE));
  const letters = await store.take(LETTERS_PER_REPLAY);
  if (letters.length === 0) return c.json({ replayed: 0, failed: [], remaining: await store.count() });
  const parcels = [];
  const notEnvelopes = [];
  for (const letter of letters) {
    const envelope = looseEnvelopeSchema.safeParse(parseJson(letter.json));
    if (envelope.success) parcels.push(parcel(letter.messageId, envelope.data.events));
    // Not an envelope at all (a producer's bug): kept for inspection, never sent.
    else notEnvelopes.push({ item: letter.messageId, failure: 'not an event envelope' });
  }
  const { delivered, failed: notDelivered } = await deliverParcels(settingsOf(c.env), parcels);
  const failed = [...notDelivered, ...notEnvelopes];
  await store.remove(delivered);
  await store.postpone(failed.map((f) => f.item));
  const remaining = await store.count();
  const body = {
    replayed: delivered.length,
    failed: failed.map((f) => ({ messageId: f.item, failure: f.failure })),
    remaining,
  };
  // Nothing went through: the control plane is down or refuses everything; say so with a 503.
  if (delivered.length === 0) return c.json(body, 503);
  return c.json(body);
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
