import { Hono } from 'hono';
import { ApiError } from '../http/api-error.ts';
import { requireSignedRequest } from '../http/signed-request.ts';
import { postIngest } from '../queue/post-ingest.ts';
import { type Bindings, settingsOf } from '../settings.ts';
import { DEAD_LETTER_STORE } from './dead-letter-consumer.ts';

/** Operator endpoints for the dead-letter store, signed like configuration publishing. */
export const deadLetterRoute = new Hono<{ Bindings: Bindings }>();

deadLetterRoute.use(requireSignedRequest);

deadLetterRoute.post('/count', async (c) => {
  const store = c.env.DEAD_LETTERS.get(c.env.DEAD_LETTERS.idFromName(DEAD_LETTER_STORE));
  return c.json({ stored: await store.count() });
});

deadLetterRoute.post('/replay', async (c) => {
  const store = c.env.DEAD_LETTERS.get(c.env.DEAD_LETTERS.idFromName(DEAD_LETTER_STORE));
  const letters = await store.take(50);
  if (letters.length === 0) return c.json({ replayed: 0, remaining: await store.count() });
  const failure = await postIngest(
    settingsOf(c.env),
    letters.flatMap((l) => l.events),
  );
  if (failure !== null) {
    throw new ApiError('service_unavailable', `Control plane refused the replay: ${failure}`);
  }
  await store.remove(letters.map((l) => l.messageId));
  return c.json({ replayed: letters.length, remaining: await store.count() });
});
