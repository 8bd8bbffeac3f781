import { boolean, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
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
  ...timestamps,
});
export type User = typeof users.$inferSelect;
