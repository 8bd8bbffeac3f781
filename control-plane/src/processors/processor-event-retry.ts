import { type PeriodicTask, startPeriodicTask } from '../background/periodic-task.ts';
import type { Database } from '../db/database.ts';
import { processPendingEvents } from './processor-event-store.ts';
import type { WebhookHandlers } from './webhook-handlers.ts';

/**
 * Every minute, processes stored webhook events still unprocessed a minute after they arrived (a
 * handler failed, or the process stopped in between), without waiting for the processor to
 * deliver them again. The minute leaves fresh events to the request that received them.
 */
export function startProcessorEventRetry(
  db: Database,
  handlers: WebhookHandlers,
  options: { intervalMs?: number } = {},
): PeriodicTask {
  return startPeriodicTask('processor event retry', options.intervalMs ?? 60_000, async () => {
    const counts = await processPendingEvents(db, handlers, {
      receivedBefore: new Date(Date.now() - 60_000),
    });
    if (counts.processed + counts.ignored + counts.failed > 0) {
      console.log(JSON.stringify({ msg: 'processor events retried', ...counts }));
    }
  });
}
