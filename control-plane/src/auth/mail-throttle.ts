import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { loginThrottles } from '../db/schema/login-throttles.ts';
import { throttleAddress } from './throttle-address.ts';

/*
 * Requests that make us email someone (sign-up, a new verification link, a password reset link)
 * are counted per
 * address and per client ip in fixed windows, in the login throttle table under keys of their
 * own. Every request counts, whether or not the address has an account, so being over a limit
 * tells nothing about accounts. Per address: nobody can flood one inbox, from however many ips.
 * Per ip: one client cannot spray mail over many addresses.
 */
export const MAIL_THROTTLE = {
  perAddress: 5,
  perIp: 50,
  windowSeconds: 60 * 60,
};

/**
 * Sign-ups, resends and password resets count apart: a sign-up in the window must not make a
 * later resend or reset for the same address hit its limit sooner than for an address nobody
 * used, which would hint that someone signed up with it.
 */
export type MailRequestKind = 'sign-up' | 'resend' | 'reset';

/**
 * Counts one `kind` request for `email` from `ip`. Returns 0 when it may send, otherwise the
 * seconds until the fuller of the two windows ends.
 */
export async function countMailRequest(
  db: Database,
  kind: MailRequestKind,
  email: string,
  ip: string,
  now: Date,
): Promise<number> {
  const { perAddress, perIp, windowSeconds } = MAIL_THROTTLE;
  const addressKey = `mail:${kind}:${email}`;
  const ipKey = `mail-ip:${kind}:${throttleAddress(ip)}`;
  const nowIso = now.toISOString();
  const expired = sql`${loginThrottles.windowStartedAt} <= ${nowIso}::timestamptz - make_interval(secs => ${windowSeconds})`;
  const rows = await db
    .insert(loginThrottles)
    .values([
      { key: addressKey, failures: 1, windowStartedAt: now },
      { key: ipKey, failures: 1, windowStartedAt: now },
    ])
    .onConflictDoUpdate({
      target: loginThrottles.key,
      set: {
        failures: sql`CASE WHEN ${expired} THEN 1 ELSE ${loginThrottles.failures} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${expired} THEN ${nowIso}::timestamptz ELSE ${loginThrottles.windowStartedAt} END`,
      },
    })
    .returning();
  let wait = 0;
  for (const row of rows) {
    const limit = row.key === addressKey ? perAddress : perIp;
    if (row.failures > limit) {
      const ends = row.windowStartedAt.getTime() + windowSeconds * 1000;
      wait = Math.max(wait, Math.ceil((ends - now.getTime()) / 1000));
    }
  }
  return wait;
}
