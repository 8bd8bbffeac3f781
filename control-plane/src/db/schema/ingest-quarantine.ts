import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Events the ingest could not store: invalid against the event schema (the database's own
 * limits), or refused by the database itself. Kept apart with their reason so that one bad event
 * never holds back the rest of its batch, and so an operator can see, fix and replay them. The
 * body is the event's JSON text as received (text, not jsonb: jsonb refuses the very `\u0000`
 * that may be the reason). One row per distinct body: a redelivered batch quarantines nothing new.
 */
export const ingestQuarantine = pgTable(
  'ingest_quarantine',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The event's id and type when it had readable ones. */
    eventId: text(),
    eventType: text(),
    /** invalid_event, database_refused or currency_mismatch. */
    reasonCode: text().notNull(),
    reason: text().notNull(),
    body: text().notNull(),
    bodySha256: text().notNull().unique(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set when a replay stored it (or found it stored already). */
    replayedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.receivedAt)],
);
export type QuarantinedEvent = typeof ingestQuarantine.$inferSelect;
