import { boolean, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.ts';

export const userRole = pgEnum('user_role', ['admin', 'advertiser', 'affiliate']);

export const users = pgTable('users', {
  id: uuid().primaryKey().defaultRandom(),
  email: text().notNull().unique(),
  passwordHash: text(),
  role: userRole().notNull(),
  firstName: text(),
  lastName: text(),
  isActive: boolean().notNull().default(true),
  /** Null until the owner follows the emailed link; accounts made by an admin start verified. */
  emailVerifiedAt: timestamp({ withTimezone: true }),
  /** Set when the user deleted the account: personal fields erased, business records kept. */
  deletedAt: timestamp({ withTimezone: true }),
  ...timestamps,
});
export type User = typeof users.$inferSelect;
