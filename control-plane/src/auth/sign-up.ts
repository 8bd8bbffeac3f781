import { type RegisterRequest, registerRequestSchema } from '../accounts/account-schemas.ts';
import { type AccountDeps, registerAccount } from '../accounts/account-service.ts';
import { sendInBackground } from '../mail/mailer.ts';
import { type EmailVerificationDeps, sendVerificationLink } from './email-verification.ts';
import { countMailRequest } from './mail-throttle.ts';
import { hashPassword } from './passwords.ts';

export type SignUpDeps = AccountDeps & EmailVerificationDeps;

/**
 * Self-service sign-up that does not tell whether an address has an account. A new address gets
 * an unverified account and a verification link; an address that has an account gets nothing
 * created and a notice mailed to it. The caller answers the same in both cases, and both do the
 * same argon2 work and the same throttle write; the mail goes out after the answer.
 *
 * Sign-ups are counted per address and per client ip (mail-throttle.ts). Beyond either limit
 * nothing is created and nothing is mailed, whether the address is new or taken, and the caller
 * still answers the same 202: one client cannot create accounts (and affiliates at the edge) for
 * as many addresses as it likes, nor flood an inbox.
 */
export async function signUp(
  deps: SignUpDeps,
  input: RegisterRequest,
  ip: string,
): Promise<{ sending: Promise<void> }> {
  const now = (deps.now ?? (() => new Date()))();
  const { email, password } = registerRequestSchema.parse(input);
  const wait = await countMailRequest(deps.db, 'sign-up', email, ip, now);
  if (wait > 0) {
    // The same argon2 work as the other paths, so the answer takes about as long.
    await hashPassword(password);
    return { sending: Promise.resolve() };
  }
  const user = await registerAccount(deps, input);
  if (user) return sendVerificationLink(deps, user);
  return { sending: sendInBackground(deps.mailer, signUpNotice(deps.publicAppUrl, email), 'sign-up notice') };
}

function signUpNotice(publicAppUrl: string, email: string) {
  const app = new URL('/', publicAppUrl);
  return {
    to: email,
    subject: 'Someone tried to sign up to TAS with your address',
    text:
      `Someone (maybe you) tried to create a TAS account with this email address, which ` +
      `already has one. Nothing was changed.\n\n` +
      `If it was you, log in at ${app}; if you forgot your password, ask for a reset link ` +
      `there.\n\nIf it was not you, you need not do anything.`,
  };
}
