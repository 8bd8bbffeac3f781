import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Every webhook event a payment processor sent, verified, stored once by (processor, event id):
 * a redelivered event finds its row and is acknowledged without being processed again. A row is
 * processed when `processedAt` is set, in the same transaction as what its handler wrote; a
 * handler that failed leaves it unprocessed with its `error`, for the next delivery or retry.
 */
export const processorEvents = pgTable(
  'processor_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    processor: text().notNull().$type<'stripe' | 'paypal'>(),
    /** The processor's own id: Stripe's evt_..., PayPal's WH-... */
    eventId: text().notNull(),
    type: text().notNull(),
    /** Id of the object the event is about (tr_..., a payout item id), to find its other events. */
    objectId: text(),
    /** When the processor says the event happened (Stripe `created`, PayPal `create_time`). */
    occurredAt: timestamp({ withTimezone: true }),
    payload: jsonb().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp({ withTimezone: true }),
    /** How many times a handler ran on it and failed. */
    failures: integer().notNull().default(0),
    /** The last handler failure, while unprocessed. */
    error: text(),
  },
  (t) => [
    uniqueIndex().on(t.processor, t.eventId),
    index().on(t.processor, t.objectId),
    index('processor_events_unprocessed_idx').on(t.receivedAt).where(sql`processed_at IS NULL`),
  ],
);
export type ProcessorEvent = typeof processorEvents.$inferSelect;
