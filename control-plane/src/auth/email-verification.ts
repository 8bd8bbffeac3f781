import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { emailVerifications } from '../db/schema/email-verifications.ts';
import { type User, users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import { type Mailer, sendInBackground } from '../mail/mailer.ts';
import { countMailRequest } from './mail-throttle.ts';
import { newOpaqueToken, tokenHash } from './opaque-tokens.ts';

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
        `${VERIFICATION_TTL_SECONDS / 3600} hours:\n${link}\n\n` +
        `If you did not sign up, ignore this email: without access to this inbox, nobody can use the account.`,
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
 */
export async function confirmEmailVerification(
  deps: Pick<EmailVerificationDeps, 'db' | 'now'>,
  token: string,
): Promise<User> {
  const now = (deps.now ?? (() => new Date()))();
  const user = await deps.db.transaction(async (tx) => {
    // Claimed in the statement that checks it, so two concurrent uses cannot both win.
    const [claimed] = await tx
      .update(emailVerifications)
      .set({ usedAt: now })
      .where(
        and(
          eq(emailVerifications.tokenHash, tokenHash(token)),
          isNull(emailVerifications.usedAt),
          gt(emailVerifications.expiresAt, now),
        ),
      )
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
  if (!user) {
    throw new ApiError('invalid_verification_token', 'This verification link is invalid, used or expired.');
  }
  if (!user.isActive) throw new ApiError('forbidden', 'This account is disabled.');
  return user;
}
