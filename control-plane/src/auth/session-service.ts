import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { refreshTokens } from '../db/schema/refresh-tokens.ts';
import { sessions } from '../db/schema/sessions.ts';
import { users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import { ACCESS_TOKEN_TTL_SECONDS, type AccessTokenKeys, signAccessToken } from './access-tokens.ts';
import { assertNotSuspended } from './account-suspension.ts';
import { newOpaqueToken, tokenHash } from './opaque-tokens.ts';
import type { Role } from './roles.ts';

/** A refresh-token family lives this long from login, however often it rotates. */
export const SESSION_TTL_SECONDS = 30 * 86_400;

export type TokenPair = {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
};

export type SessionDeps = { db: Database; keys: AccessTokenKeys; now?: () => Date };

async function issue(
  { db, keys, now = () => new Date() }: SessionDeps,
  user: { id: string; role: Role },
  sessionId: string,
): Promise<TokenPair> {
  const refreshToken = newOpaqueToken();
  await db.insert(refreshTokens).values({ tokenHash: tokenHash(refreshToken), sessionId });
  const accessToken = await signAccessToken(keys, { sub: user.id, sid: sessionId, role: user.role }, now());
  return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/**
 * Opens a session (a new refresh-token family) for a user who just proved who they are, unless
 * the user's company is suspended (account_suspended).
 */
export async function openSession(
  deps: SessionDeps,
  user: { id: string; role: Role },
  client: { ip: string | null; userAgent: string | null },
): Promise<TokenPair> {
  const now = (deps.now ?? (() => new Date()))();
  await assertNotSuspended(deps.db, user);
  return deps.db.transaction(async (tx) => {
    const [session] = await tx
      .insert(sessions)
      .values({
        userId: user.id,
        ip: client.ip,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
        expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
      })
      .returning({ id: sessions.id });
    if (!session) throw new Error('insert returned no row');
    return issue({ ...deps, db: tx }, user, session.id);
  });
}

/**
 * Trades a refresh token for a new pair. The token is marked used in the same statement that
 * checks it, so two concurrent uses cannot both win; a token seen used before means a copy is in
 * someone else's hands, and the whole session is revoked.
 */
export async function rotateRefreshToken(deps: SessionDeps, refreshToken: string): Promise<TokenPair> {
  const now = (deps.now ?? (() => new Date()))();
  const hash = tokenHash(refreshToken);
  const outcome = await deps.db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(refreshTokens)
      .set({ usedAt: now })
      .where(and(eq(refreshTokens.tokenHash, hash), isNull(refreshTokens.usedAt)))
      .returning({ sessionId: refreshTokens.sessionId });
    if (!claimed) {
      const [known] = await tx
        .select({ sessionId: refreshTokens.sessionId })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, hash));
      if (known) {
        await tx
          .update(sessions)
          .set({ revokedAt: now, revokedReason: 'refresh_reuse' })
          .where(and(eq(sessions.id, known.sessionId), isNull(sessions.revokedAt)));
        return { kind: 'reused' as const };
      }
      return { kind: 'unknown' as const };
    }
    const [row] = await tx
      .select({ session: sessions, user: { id: users.id, role: users.role, isActive: users.isActive } })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, claimed.sessionId));
    if (!row || row.session.revokedAt || row.session.expiresAt <= now || !row.user.isActive) {
      return { kind: 'ended' as const };
    }
    // Thrown, so the claim rolls back: the token works again once the company is reactivated.
    await assertNotSuspended(tx, row.user);
    await tx.update(sessions).set({ lastUsedAt: now }).where(eq(sessions.id, row.session.id));
    return { kind: 'rotated' as const, pair: await issue({ ...deps, db: tx }, row.user, row.session.id) };
  });
  if (outcome.kind === 'rotated') return outcome.pair;
  if (outcome.kind === 'reused') {
    throw new ApiError('invalid_token', 'This refresh token was already used; the session has been ended.');
  }
  throw new ApiError('invalid_token', 'The refresh token is not valid.');
}

export async function revokeSession(db: Database, sessionId: string, reason: string, now = new Date()) {
  await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Ends every session of the user but `keepSessionId` (or all of them when it is null). */
export async function revokeUserSessions(
  db: Database,
  userId: string,
  keepSessionId: string | null,
  reason: string,
  now = new Date(),
): Promise<number> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        keepSessionId ? ne(sessions.id, keepSessionId) : sql`true`,
      ),
    )
    .returning({ id: sessions.id });
  return revoked.length;
}
