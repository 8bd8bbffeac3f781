import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/**
 * Security-relevant actions (logins, API keys, roles, password and payout-detail changes, data
 * subject requests), written by audit/record-audit.ts and read by admins. Append-only. `detail`
 * never holds secrets: no passwords, tokens, keys or payment details, only what changed by name.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Who acted; null for the anonymous (a failed login) and the system. */
    actorUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    actorIp: text(),
    /** What was done, from the closed list in audit/audit-actions.ts (`login.failed`, `api_key.created`). */
    action: text().notNull(),
    /** What it was done to: `user`, `api_key`, `affiliate`, ..., with its id. */
    subjectType: text(),
    subjectId: text(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.createdAt), index().on(t.action, t.createdAt), index().on(t.actorUserId, t.createdAt)],
);
export type AuditEvent = typeof auditEvents.$inferSelect;
