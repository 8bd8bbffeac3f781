import { newApp } from './app.ts';
import { consumeEvents } from './queue/events-consumer.ts';
import type { Bindings } from './settings.ts';

const app = newApp();

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    await consumeEvents(batch, env);
  },
} satisfies ExportedHandler<Bindings>;
