import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { Database } from '../db/database.ts';
import { emailVerifications } from '../db/schema/email-verifications.ts';
import { passwordResets } from '../db/schema/password-resets.ts';
import { users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import { recordLoginSuccess, reserveLoginAttempt } from './login-throttle.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { revokeUserSessions } from './session-service.ts';

/**
 * Sets a new password for a signed-in user who proves the current one, and ends every other
 * session of the account (and its outstanding reset and verification links): whoever changes a
 * password because it leaked wants the holder of the old one out. The current password is
 * guessed at no faster than at login: each attempt counts against the same throttle (account +
 * client address, and the address across accounts), so a stolen session cannot brute-force it.
 * API keys stay: they are not passwords and are revoked on their own.
 */
export async function changePassword(
  deps: { db: Database; now?: () => Date },
  principal: { userId: string; email: string; sessionId: string },
  input: { currentPassword: string; newPassword: string },
  ip: string,
): Promise<{ revokedSessions: number }> {
  const now = (deps.now ?? (() => new Date()))();
  await reserveLoginAttempt(deps.db, principal.email, ip, now);
  const [user] = await deps.db.select().from(users).where(eq(users.id, principal.userId));
  const ok = await verifyPassword(user?.passwordHash, input.currentPassword);
  if (!user || !ok) throw new ApiError('invalid_credentials', 'The current password is wrong.');
  await recordLoginSuccess(deps.db, principal.email, ip);
  if (input.newPassword === input.currentPassword) {
    throw new ApiError('invalid_request', 'The new password must differ from the current one.');
  }
  const passwordHash = await hashPassword(input.newPassword);
  const revokedSessions = await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, user.id));
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
    await tx
      .update(emailVerifications)
      .set({ usedAt: now })
      .where(and(eq(emailVerifications.userId, user.id), isNull(emailVerifications.usedAt)));
    const revoked = await revokeUserSessions(tx, user.id, principal.sessionId, 'password_change', now);
    await recordAudit(
      tx,
      {
        actor: user.id,
        action: 'password.changed',
        subject: { type: 'user', id: user.id },
        ip,
        detail: { revokedSessions: revoked },
      },
      now,
    );
    return revoked;
  });
  return { revokedSessions };
}
