import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { emailVerifications } from '../db/schema/email-verifications.ts';
import { type User, users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import { type Mailer, sendInBackground } from '../mail/mailer.ts';
import { recordLoginSuccess, reserveLoginAttempt } from './login-throttle.ts';
import { countMailRequest } from './mail-throttle.ts';
import { newOpaqueToken, tokenHash } from './opaque-tokens.ts';
import { verifyPassword } from './passwords.ts';

export const VERIFICATION_TTL_SECONDS = 24 * 60 * 60;

export type EmailVerificationDeps = {
  db: Database;
  mailer: Mailer;
  publicAppUrl: string;
  now?: () => Date;
};

/**
 * Stores a one-time verification token for the user and emails the link, without waiting for
 * the mail. Returns the sending, for tests and shutdown to wait on.
 */
export async function sendVerificationLink(
  deps: EmailVerificationDeps,
  user: Pick<User, 'id' | 'email'>,
): Promise<{ sending: Promise<void> }> {
  const now = (deps.now ?? (() => new Date()))();
  const token = newOpaqueToken();
  await deps.db.insert(emailVerifications).values({
    tokenHash: tokenHash(token),
    userId: user.id,
    expiresAt: new Date(now.getTime() + VERIFICATION_TTL_SECONDS * 1000),
  });
  const link = new URL('/verify-email', deps.publicAppUrl);
  link.searchParams.set('token', token);
  const sending = sendInBackground(
    deps.mailer,
    {
      to: user.email,
      subject: 'Confirm your email address for TAS',
      text:
        `Welcome to TAS. To confirm this address and log in, open this link within ` +
        `${VERIFICATION_TTL_SECONDS / 3600} hours and enter the password you chose when signing up:\n${link}\n\n` +
        `If you did not sign up, ignore this email: nobody can use the account without this inbox. ` +
        `If you want an account with this address, ask for a password reset at ${new URL('/', deps.publicAppUrl)} instead.`,
    },
    'email verification',
  );
  return { sending };
}

/**
 * Mails a fresh link to an existing, active, unverified account, and nothing otherwise; the
 * caller answers the same either way. Throttled per address and per ip (see mail-throttle.ts).
 */
export async function resendVerification(
  deps: EmailVerificationDeps,
  email: string,
  ip: string,
): Promise<{ sending: Promise<void> }> {
  const now = (deps.now ?? (() => new Date()))();
  const wait = await countMailRequest(deps.db, 'resend', email, ip, now);
  if (wait > 0) {
    throw new ApiError('rate_limited', `Too many requests for verification mail; try again in ${wait} s.`, {
      retryAfterSeconds: wait,
    });
  }
  const [user] = await deps.db.select().from(users).where(eq(users.email, email));
  if (!user?.isActive || user.emailVerifiedAt) return { sending: Promise.resolve() };
  return sendVerificationLink(deps, user);
}

/**
 * Uses a verification token (once) and marks its user verified; every other outstanding link of
 * the user stops working too. Returns the user, for the caller to open a session.
 *
 * The password of the account is required as well: the link alone would let whoever signed the
 * address up (maybe not its owner) keep a password to an account the owner then verifies and
 * uses (account pre-hijacking). A wrong password answers 401 invalid_credentials, counts as a
 * failed login (same throttle) and leaves the token unused, so the right one still works.
 */
export async function confirmEmailVerification(
  deps: Pick<EmailVerificationDeps, 'db' | 'now'>,
  token: string,
  password: string,
  ip: string,
): Promise<User> {
  const now = (deps.now ?? (() => new Date()))();
  const usable = and(
    eq(emailVerifications.tokenHash, tokenHash(token)),
    isNull(emailVerifications.usedAt),
    gt(emailVerifications.expiresAt, now),
  );
  const [pending] = await deps.db
    .select({ user: users })
    .from(emailVerifications)
    .innerJoin(users, eq(users.id, emailVerifications.userId))
    .where(usable);
  // No argon2 work for an unknown token: 256 random bits are not guessed, and its holder learns
  // nothing about any account from how fast it is refused.
  if (!pending) throw invalidToken();
  const { email, passwordHash } = pending.user;
  await reserveLoginAttempt(deps.db, email, ip, now);
  if (!(await verifyPassword(passwordHash, password))) {
    throw new ApiError(
      'invalid_credentials',
      'This is not the password the account was signed up with. If you did not sign up, reset the password to use this address.',
    );
  }
  await recordLoginSuccess(deps.db, email, ip);
  const user = await deps.db.transaction(async (tx) => {
    // Claimed in the statement that checks it, so two concurrent uses cannot both win; and a
    // password reset between the check above and here has voided it, so the old password loses.
    const [claimed] = await tx
      .update(emailVerifications)
      .set({ usedAt: now })
      .where(usable)
      .returning({ userId: emailVerifications.userId });
    if (!claimed) return null;
    await tx
      .update(emailVerifications)
      .set({ usedAt: now })
      .where(and(eq(emailVerifications.userId, claimed.userId), isNull(emailVerifications.usedAt)));
    const [verified] = await tx
      .update(users)
      .set({
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)`,
      })
      .where(eq(users.id, claimed.userId))
      .returning();
    return verified ?? null;
  });
  if (!user) throw invalidToken();
  if (!user.isActive) throw new ApiError('forbidden', 'This account is disabled.');
  return user;
}

const invalidToken = () =>
  new ApiError('invalid_verification_token', 'This verification link is invalid, used or expired.');
