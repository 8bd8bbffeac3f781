import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { type AuditEvent, auditEvents } from '../db/schema/audit-events.ts';
import { users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import { auditActionSchema } from './audit-actions.ts';

export const auditQuerySchema = z
  .object({
    action: auditActionSchema.optional(),
    actor: z.uuid().optional().describe('Only what this user did'),
    from: z.iso.datetime({ offset: true }).optional().describe('From this time on (inclusive)'),
    to: z.iso.datetime({ offset: true }).optional().describe('Before this time (exclusive)'),
    limit: z.coerce.number().int().min(1).max(200).default(50).describe('Rows per page (1-200)'),
    cursor: z
      .string()
      .regex(/^\d{1,18}$/)
      .optional()
      .describe('nextCursor of the previous page (pages go from newest to oldest)'),
    format: z.enum(['json', 'csv']).default('json').describe('csv: every matching event, newest first'),
  })
  .meta({ id: 'AuditEventQuery' });
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEventResponseSchema = z
  .object({
    id: z.string().describe('Increasing with time'),
    createdAt: z.iso.datetime(),
    action: z.string(),
    actorUserId: z.uuid().nullable().describe('Who acted; null: anonymous or the system'),
    actorEmail: z.string().nullable().describe("The actor's email now"),
    actorIp: z.string().nullable(),
    subjectType: z.string().nullable(),
    subjectId: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).describe('What changed; never secrets'),
  })
  .describe('A security-relevant action')
  .meta({ id: 'AuditEvent' });
export type AuditEventResponse = z.infer<typeof auditEventResponseSchema>;

function conditions(query: AuditQuery): SQL | undefined {
  if (query.from && query.to && new Date(query.from) >= new Date(query.to)) {
    throw new ApiError('invalid_request', 'from must be before to.');
  }
  return and(
    query.action ? eq(auditEvents.action, query.action) : undefined,
    query.actor ? eq(auditEvents.actorUserId, query.actor) : undefined,
    query.from ? gte(auditEvents.createdAt, new Date(query.from)) : undefined,
    query.to ? lt(auditEvents.createdAt, new Date(query.to)) : undefined,
  );
}

/** One page of audit events, newest first, and the cursor of the next page (null: the last). */
export async function listAuditEvents(
  db: Database,
  query: AuditQuery,
): Promise<{ rows: AuditEventResponse[]; nextCursor: string | null }> {
  const rows = await db
    .select({ event: auditEvents, actorEmail: users.email })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(and(conditions(query), query.cursor ? lt(auditEvents.id, Number(query.cursor)) : undefined))
    .orderBy(desc(auditEvents.id))
    .limit(query.limit);
  const last = rows.at(-1);
  return {
    rows: rows.map((row) => auditEventResponse(row.event, row.actorEmail)),
    nextCursor: rows.length === query.limit && last ? String(last.event.id) : null,
  };
}

/** Every matching event, newest first, a page at a time (the CSV export). */
export async function* allAuditEvents(db: Database, query: AuditQuery): AsyncGenerator<AuditEventResponse> {
  let cursor = query.cursor;
  for (;;) {
    const page = await listAuditEvents(db, { ...query, limit: 200, ...(cursor ? { cursor } : {}) });
    yield* page.rows;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

function auditEventResponse(row: AuditEvent, actorEmail: string | null): AuditEventResponse {
  return {
    id: String(row.id),
    createdAt: row.createdAt.toISOString(),
    action: row.action,
    actorUserId: row.actorUserId,
    actorEmail,
    actorIp: row.actorIp,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    detail: row.detail,
  };
}
