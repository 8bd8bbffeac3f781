import { integer, timestamp } from 'drizzle-orm/pg-core';

/** Integer ids for what appears in tracking links (docs/decisions/002-integer-ids-in-links.md). */
export const entityId = () => integer().primaryKey().generatedAlwaysAsIdentity();

export const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};
