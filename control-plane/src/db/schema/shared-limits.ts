import { integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Long-running requests held now (CSV exports), per kind and user, shared by every control-plane
 * instance on the database (issue 13). A slot whose instance died frees itself at `expiresAt`.
 */
export const requestSlots = pgTable(
  'request_slots',
  {
    id: uuid().primaryKey(),
    kind: text().notNull(),
    userId: uuid().notNull(),
    /** 0 .. the user's limit - 1: unique, so two instances cannot take the same one. */
    slot: integer().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.kind, t.userId, t.slot)],
);

/** When a rate-limited action was last taken, by key (`bulk-replay:affiliate:42`), for every instance. */
export const rateMarks = pgTable('rate_marks', {
  key: text().primaryKey(),
  at: timestamp({ withTimezone: true }).notNull(),
});
