import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { loginThrottles } from '../db/schema/login-throttles.ts';
import { ApiError } from '../http/api-error.ts';
import { throttleAddress } from './throttle-address.ts';

/*
 * Two counters per failed login, neither keyed by the account alone (that would hand anyone a
 * way to lock a user out):
 * - pair (account + ip): after FREE_PAIR_FAILURES, each failure doubles a wait, up to 15 min.
 *   The owner logging in from another address is not affected.
 * - ip: at most IP_FAILURES_PER_WINDOW failures per window from one address, across accounts,
 *   which stops one address spraying passwords over many accounts.
 *
 * An attempt is counted as a failure before its password is checked, in the transaction that
 * checks the waits, with both rows locked: checking first and counting after the argon2 run let a
 * burst of concurrent guesses all pass the check before any was counted. A right password gives
 * its attempt back (recordLoginSuccess). Postgres holds the counters, so instances agree.
 */
export const THROTTLE = {
  freePairFailures: 5,
  maxPairDelaySeconds: 15 * 60,
  ipFailuresPerWindow: 100,
  ipWindowSeconds: 15 * 60,
};

const pairKey = (email: string, ip: string) => `pair:${email}|${throttleAddress(ip)}`;
const ipKey = (ip: string) => `ip:${throttleAddress(ip)}`;

/**
 * Counts one attempt at `email` from `ip` as a failure, or throws rate_limited (counting nothing)
 * when this account+ip or this ip must wait. Call it before verifying the password.
 */
export async function reserveLoginAttempt(db: Database, email: string, ip: string, now: Date) {
  const { freePairFailures, maxPairDelaySeconds, ipFailuresPerWindow, ipWindowSeconds } = THROTTLE;
  const keys = [pairKey(email, ip), ipKey(ip)];
  const nowIso = now.toISOString();
  // Rows to lock must exist; a fresh pair or ip starts at zero.
  await db
    .insert(loginThrottles)
    .values(keys.map((key) => ({ key, failures: 0, windowStartedAt: now })))
    .onConflictDoNothing();
  await db.transaction(async (tx) => {
    // Locked in key order, so two attempts sharing the ip (any account) cannot deadlock.
    const rows = await tx
      .select()
      .from(loginThrottles)
      .where(inArray(loginThrottles.key, keys))
      .orderBy(asc(loginThrottles.key))
      .for('update');
    const wait = Math.max(0, ...rows.map((row) => (row.blockedUntil?.getTime() ?? 0) - now.getTime()));
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new ApiError('rate_limited', `Too many failed logins; try again in ${seconds} s.`, {
        retryAfterSeconds: seconds,
      });
    }
    await tx.execute(sql`
      UPDATE login_throttles SET
        failures = CASE WHEN key LIKE 'ip:%' AND window_started_at < ${nowIso}::timestamptz - make_interval(secs => ${ipWindowSeconds})
                        THEN 1 ELSE failures + 1 END,
        window_started_at = CASE WHEN key LIKE 'ip:%' AND window_started_at < ${nowIso}::timestamptz - make_interval(secs => ${ipWindowSeconds})
                                 THEN ${nowIso}::timestamptz ELSE window_started_at END
      WHERE key IN (${keys[0]}, ${keys[1]})
    `);
    // Waits follow from the new counts: exponential for the pair, end of the window for the ip.
    await tx.execute(sql`
      UPDATE login_throttles SET blocked_until = CASE
        WHEN key LIKE 'pair:%' AND failures >= ${freePairFailures}
          THEN ${nowIso}::timestamptz + make_interval(secs => least(${maxPairDelaySeconds}::float8, power(2, failures - ${freePairFailures})))
        WHEN key LIKE 'ip:%' AND failures >= ${ipFailuresPerWindow}
          THEN window_started_at + make_interval(secs => ${ipWindowSeconds})
        ELSE NULL END
      WHERE key IN (${keys[0]}, ${keys[1]})
    `);
  });
}

/**
 * A right password: the pair's backoff is cleared, and the attempt reserved for it is given back
 * to the ip's window (which counts failures only).
 */
export async function recordLoginSuccess(db: Database, email: string, ip: string) {
  await db.delete(loginThrottles).where(eq(loginThrottles.key, pairKey(email, ip)));
  await db.execute(sql`
    UPDATE login_throttles SET
      failures = greatest(failures - 1, 0),
      blocked_until = CASE WHEN failures - 1 >= ${THROTTLE.ipFailuresPerWindow} THEN blocked_until ELSE NULL END
    WHERE key = ${ipKey(ip)}
  `);
}
