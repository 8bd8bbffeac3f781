import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
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
  // Every refusal after the throttle is in the audit log, with the address and the email tried.
  const refuse = async (error: ApiError, known: User | undefined) => {
    await recordAudit(
      deps.db,
      {
        actor: null,
        action: 'login.failed',
        subject: known ? { type: 'user', id: known.id } : null,
        ip: client.ip,
        detail: { email: credentials.email, reason: error.code },
      },
      now,
    );
    return error;
  };
  const ok = await verifyPassword(user?.passwordHash, credentials.password);
  if (!user || !ok) {
    // A wrong password of an existing account names it; an unknown email only by the address tried.
    throw await refuse(new ApiError('invalid_credentials', 'Email or password is wrong.'), user);
  }
  // The password was right: whoever sent it is no guesser, whatever the account's state.
  await recordLoginSuccess(deps.db, credentials.email, ip);
  if (!user.isActive) throw await refuse(new ApiError('forbidden', 'This account is disabled.'), user);
  // Only after the password checked out, so it tells nothing to someone without it.
  if (!user.emailVerifiedAt) {
    throw await refuse(
      new ApiError(
        'email_not_verified',
        'Confirm your email address first with the emailed link (POST /api/v1/auth/resend-verification sends a new one).',
      ),
      user,
    );
  }
  let tokens: TokenPair;
  try {
    tokens = await openSession(deps, user, client);
  } catch (error) {
    throw error instanceof ApiError ? await refuse(error, user) : error;
  }
  await recordAudit(
    deps.db,
    { actor: user.id, action: 'login.succeeded', subject: { type: 'user', id: user.id }, ip: client.ip },
    now,
  );
  return { user, tokens };
}
