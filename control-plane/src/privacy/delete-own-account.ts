import { and, eq, isNull, ne } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { recordLoginSuccess, reserveLoginAttempt } from '../auth/login-throttle.ts';
import { verifyPassword } from '../auth/passwords.ts';
import type { Database } from '../db/database.ts';
import { users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import { eraseAccount } from './account-erasure.ts';

/**
 * A signed-in user deletes their own account, proving the password as at login (and throttled
 * like it). The last active admin cannot: the network would have no one to run it.
 */
export async function deleteOwnAccount(
  deps: { db: Database; now?: () => Date },
  principal: { userId: string; email: string },
  input: { password: string },
  ip: string,
): Promise<void> {
  const now = (deps.now ?? (() => new Date()))();
  await reserveLoginAttempt(deps.db, principal.email, ip, now);
  const [user] = await deps.db.select().from(users).where(eq(users.id, principal.userId));
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !ok) throw new ApiError('invalid_credentials', 'The password is wrong.');
  await recordLoginSuccess(deps.db, principal.email, ip);
  await deps.db.transaction(async (tx) => {
    if (user.role === 'admin') {
      const others = await tx
        .select({ id: users.id })
        .from(users)
        .where(
          and(
            eq(users.role, 'admin'),
            eq(users.isActive, true),
            isNull(users.deletedAt),
            ne(users.id, user.id),
          ),
        )
        .limit(1)
        .for('update');
      if (others.length === 0)
        throw new ApiError(
          'conflict',
          'You are the last active admin: make another admin before deleting this account.',
        );
    }
    await eraseAccount(tx, user.id, now);
    await recordAudit(
      tx,
      { actor: user.id, action: 'user.deleted', subject: { type: 'user', id: user.id }, ip },
      now,
    );
  });
}
