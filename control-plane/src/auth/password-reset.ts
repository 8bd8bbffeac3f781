import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { Database } from '../db/database.ts';
import { emailVerifications } from '../db/schema/email-verifications.ts';
import { passwordResets } from '../db/schema/password-resets.ts';
import { users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import { type Mailer, sendInBackground } from '../mail/mailer.ts';
import { countMailRequest } from './mail-throttle.ts';
import { newOpaqueToken, tokenHash } from './opaque-tokens.ts';
import { hashPassword } from './passwords.ts';
import { revokeUserSessions } from './session-service.ts';

export const RESET_TTL_SECONDS = 30 * 60;

export type PasswordResetDeps = { db: Database; mailer: Mailer; publicAppUrl: string; now?: () => Date };

/**
 * Emails a one-time reset link if the address belongs to an active account. The caller gets the
 * same answer either way, and the mail goes out after the answer, so the timing does not tell
 * either (mostly: a lookup and an insert remain). Returns the sending, for tests to wait on.
 *
 * Requests are limited per address (nobody floods an inbox with links) and per client ip (nobody
 * sprays them over many addresses); every request counts, whether or not the address has an
 * account, so a refusal (rate_limited) tells nothing about accounts either.
 */
export async function requestPasswordReset(
  deps: PasswordResetDeps,
  email: string,
  ip: string,
): Promise<{ sending: Promise<void> }> {
  const now = (deps.now ?? (() => new Date()))();
  const wait = await countMailRequest(deps.db, 'reset', email, ip, now);
  if (wait > 0) {
    throw new ApiError('rate_limited', `Too many password reset requests; try again in ${wait} s.`, {
      retryAfterSeconds: wait,
    });
  }
  const [user] = await deps.db.select().from(users).where(eq(users.email, email));
  if (!user?.isActive) return { sending: Promise.resolve() };
  const token = newOpaqueToken();
  await deps.db.insert(passwordResets).values({
    tokenHash: tokenHash(token),
    userId: user.id,
    expiresAt: new Date(now.getTime() + RESET_TTL_SECONDS * 1000),
  });
  const link = new URL('/reset-password', deps.publicAppUrl);
  link.searchParams.set('token', token);
  const sending = sendInBackground(
    deps.mailer,
    {
      to: user.email,
      subject: 'Reset your TAS password',
      text:
        `Someone asked to reset the password of your TAS account.\n\n` +
        `To choose a new password, open this link within ${RESET_TTL_SECONDS / 60} minutes:\n${link}\n\n` +
        `If it was not you, ignore this email; your password stays as it is.`,
    },
    'password reset',
  );
  return { sending };
}

/**
 * Sets a new password with a reset token (once), and ends every session of the account. The
 * emailed token proves the address too, so the account counts as verified from then on.
 */
export async function confirmPasswordReset(
  deps: Pick<PasswordResetDeps, 'db' | 'now'>,
  token: string,
  password: string,
  ip: string | null = null,
): Promise<void> {
  const now = (deps.now ?? (() => new Date()))();
  const usable = and(
    eq(passwordResets.tokenHash, tokenHash(token)),
    isNull(passwordResets.usedAt),
    gt(passwordResets.expiresAt, now),
  );
  // No argon2 work for a token that cannot be used: anyone may post here, and each hash costs
  // 19 MiB and tens of milliseconds.
  const [pending] = await deps.db.select({ id: passwordResets.tokenHash }).from(passwordResets).where(usable);
  if (!pending) throw invalidToken();
  const passwordHash = await hashPassword(password);
  const done = await deps.db.transaction(async (tx) => {
    // Claimed in the statement that checks it again: of two concurrent uses, one wins.
    const [reset] = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(usable)
      .returning({ userId: passwordResets.userId });
    if (!reset) return false;
    await tx
      .update(users)
      .set({
        passwordHash,
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)`,
      })
      .where(eq(users.id, reset.userId));
    // Other outstanding links of the same account stop working too.
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt)));
    // Verification links open a session: none may outlive the reset that ended all the others.
    await tx
      .update(emailVerifications)
      .set({ usedAt: now })
      .where(and(eq(emailVerifications.userId, reset.userId), isNull(emailVerifications.usedAt)));
    const revokedSessions = await revokeUserSessions(tx, reset.userId, null, 'password_reset', now);
    await recordAudit(
      tx,
      {
        actor: reset.userId,
        action: 'password.reset',
        subject: { type: 'user', id: reset.userId },
        ip,
        detail: { revokedSessions },
      },
      now,
    );
    return true;
  });
  if (!done) throw invalidToken();
}

const invalidToken = () => new ApiError('invalid_token', 'This reset link is invalid, used or expired.');
