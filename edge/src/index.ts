import { newApp } from './app.ts';
import { consumeDeadLetters } from './dead-letters/dead-letter-consumer.ts';
import { consumeEvents } from './queue/events-consumer.ts';
import type { Bindings } from './settings.ts';

export { CapCounter } from './caps/cap-counter.ts';
export { DeadLetterStore } from './dead-letters/dead-letter-store.ts';
export { ConversionDedupe } from './dedupe/conversion-dedupe.ts';
export { FraudCounter } from './fraud/fraud-counter.ts';

const app = newApp();

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    if (batch.queue.endsWith('-dlq')) await consumeDeadLetters(batch, env);
    else await consumeEvents(batch, env);
  },
} satisfies ExportedHandler<Bindings>;
