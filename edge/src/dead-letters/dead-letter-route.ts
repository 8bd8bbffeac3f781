import { Hono } from 'hono';
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
    return c.json(
      {
        error: {
          code: 'service_unavailable',
          message: `Control plane refused the replay: ${failure}`,
          requestId: crypto.randomUUID(),
        },
      },
      503,
    );
  }
  await store.remove(letters.map((l) => l.messageId));
  return c.json({ replayed: letters.length, remaining: await store.count() });
});
