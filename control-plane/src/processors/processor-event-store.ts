import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { processorEvents } from '../db/schema/processor-events.ts';
import type { ProcessorName, WebhookHandlers } from './webhook-handlers.ts';

/** A verified event, as either processor's webhook turns into one. */
export type IncomingProcessorEvent = {
  processor: ProcessorName;
  eventId: string;
  type: string;
  objectId: string | null;
  occurredAt: Date | null;
  payload: unknown;
};

/**
 * processed: a handler ran and its writes committed; ignored: no handler for the type (stored,
 * acknowledged); duplicate: processed before (a replay), nothing done; failed: the handler threw,
 * nothing of it committed, the event waits for its next delivery or `processPendingEvents`.
 */
export type EventOutcome = 'processed' | 'ignored' | 'duplicate' | 'failed';

const MAX_ERROR_CHARS = 500;

/** Stores a verified event once (by processor and event id) and processes it unless it was. */
export async function receiveProcessorEvent(
  db: Database,
  handlers: WebhookHandlers,
  event: IncomingProcessorEvent,
): Promise<{ outcome: EventOutcome; error?: string }> {
  await db
    .insert(processorEvents)
    .values({
      processor: event.processor,
      eventId: event.eventId,
      type: event.type,
      objectId: event.objectId,
      occurredAt: event.occurredAt,
      payload: event.payload,
    })
    .onConflictDoNothing({ target: [processorEvents.processor, processorEvents.eventId] });
  return processStoredEvent(db, handlers, event.processor, event.eventId);
}

/**
 * Runs the event's handler and marks the event processed in one transaction. The row is locked
 * first, so two deliveries of one event at once take turns and the second finds it processed.
 */
export async function processStoredEvent(
  db: Database,
  handlers: WebhookHandlers,
  processor: ProcessorName,
  eventId: string,
): Promise<{ outcome: EventOutcome; error?: string }> {
  const where = and(eq(processorEvents.processor, processor), eq(processorEvents.eventId, eventId));
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.select().from(processorEvents).where(where).for('update');
      if (!row) throw new Error(`${processor} event ${eventId} is not stored`);
      if (row.processedAt) return { outcome: 'duplicate' as const };
      const handler = handlers.handlerFor(processor, row.type);
      if (handler) await handler(tx, row);
      await tx
        .update(processorEvents)
        .set({ processedAt: sql`now()`, error: null })
        .where(eq(processorEvents.id, row.id));
      return { outcome: handler ? ('processed' as const) : ('ignored' as const) };
    });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_CHARS);
    await db
      .update(processorEvents)
      .set({ failures: sql`${processorEvents.failures} + 1`, error: message })
      .where(and(where, isNull(processorEvents.processedAt)));
    return { outcome: 'failed', error: message };
  }
}

/**
 * Retries stored events that are not processed yet (a handler failed, or the process stopped
 * between storing and processing), oldest first by when they happened. For a periodic task.
 */
export async function processPendingEvents(
  db: Database,
  handlers: WebhookHandlers,
  options: { limit?: number; receivedBefore?: Date } = {},
): Promise<Record<EventOutcome, number>> {
  const pending = await db
    .select({ processor: processorEvents.processor, eventId: processorEvents.eventId })
    .from(processorEvents)
    .where(
      and(
        isNull(processorEvents.processedAt),
        options.receivedBefore ? lt(processorEvents.receivedAt, options.receivedBefore) : undefined,
      ),
    )
    .orderBy(
      asc(sql`coalesce(${processorEvents.occurredAt}, ${processorEvents.receivedAt})`),
      asc(processorEvents.id),
    )
    .limit(options.limit ?? 100);
  const counts: Record<EventOutcome, number> = { processed: 0, ignored: 0, duplicate: 0, failed: 0 };
  for (const event of pending) {
    counts[(await processStoredEvent(db, handlers, event.processor, event.eventId)).outcome]++;
  }
  return counts;
}
