import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { sessions } from '../db/schema/sessions.ts';
import { ApiError } from '../http/api-error.ts';

export type OwnSession = {
  id: string;
  current: boolean;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
};

/** A user's open sessions (not ended, not expired), the most recently used first. */
export async function listOwnSessions(
  db: Database,
  userId: string,
  currentSessionId: string | null,
  now = new Date(),
): Promise<OwnSession[]> {
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastUsedAt), desc(sessions.createdAt))
    .limit(200);
  return rows.map((row) => ({
    id: row.id,
    current: row.id === currentSessionId,
    ip: row.ip,
    userAgent: row.userAgent,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  }));
}

/**
 * Ends one of the user's own sessions (its access and refresh tokens stop working on their next
 * use). Another user's session, or one already ended, is not_found: the answer tells nobody
 * whether an id exists.
 */
export async function endOwnSession(db: Database, userId: string, sessionId: string, now = new Date()) {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: 'ended_by_user' })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  if (ended.length === 0) throw new ApiError('not_found', 'No such open session of yours.');
}
