import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { type User, users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import type { AccessTokenKeys } from './access-tokens.ts';
import { recordLoginSuccess, reserveLoginAttempt } from './login-throttle.ts';
import { verifyPassword } from './passwords.ts';
import { openSession, type TokenPair } from './session-service.ts';

export type LoginDeps = { db: Database; keys: AccessTokenKeys; now?: () => Date };

/**
 * Checks email and password and opens a session. Unknown email and wrong password answer the
 * same, after the same argon2 work, so neither the answer nor its timing tells which it was.
 * A right password on an account whose address is not verified yet opens no session.
 */
export async function login(
  deps: LoginDeps,
  credentials: { email: string; password: string },
  client: { ip: string | null; userAgent: string | null },
): Promise<{ user: User; tokens: TokenPair }> {
  const now = (deps.now ?? (() => new Date()))();
  const ip = client.ip ?? 'unknown';
  // Counted before argon2 runs, so a burst of concurrent guesses gets no more than the limit.
  await reserveLoginAttempt(deps.db, credentials.email, ip, now);
  const [user] = await deps.db.select().from(users).where(eq(users.email, credentials.email));
  const ok = await verifyPassword(user?.passwordHash, credentials.password);
  if (!user || !ok) throw new ApiError('invalid_credentials', 'Email or password is wrong.');
  // The password was right: whoever sent it is no guesser, whatever the account's state.
  await recordLoginSuccess(deps.db, credentials.email, ip);
  if (!user.isActive) throw new ApiError('forbidden', 'This account is disabled.');
  // Only after the password checked out, so it tells nothing to someone without it.
  if (!user.emailVerifiedAt) {
    throw new ApiError(
      'email_not_verified',
      'Confirm your email address first with the emailed link (POST /api/v1/auth/resend-verification sends a new one).',
    );
  }
  return { user, tokens: await openSession(deps, user, client) };
}
