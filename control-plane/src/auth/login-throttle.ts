import { inArray, sql } from 'drizzle-orm';
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
 */
export const THROTTLE = {
  freePairFailures: 5,
  maxPairDelaySeconds: 15 * 60,
  ipFailuresPerWindow: 100,
  ipWindowSeconds: 15 * 60,
};

const pairKey = (email: string, ip: string) => `pair:${email}|${throttleAddress(ip)}`;
const ipKey = (ip: string) => `ip:${throttleAddress(ip)}`;

/** Throws rate_limited when this account+ip or this ip must wait. */
export async function assertLoginAllowed(db: Database, email: string, ip: string, now: Date) {
  const rows = await db
    .select()
    .from(loginThrottles)
    .where(inArray(loginThrottles.key, [pairKey(email, ip), ipKey(ip)]));
  for (const row of rows) {
    if (row.blockedUntil && row.blockedUntil > now) {
      const wait = Math.ceil((row.blockedUntil.getTime() - now.getTime()) / 1000);
      throw new ApiError('rate_limited', `Too many failed logins; try again in ${wait} s.`, {
        retryAfterSeconds: wait,
      });
    }
  }
}

/** Counts a failure on both counters and sets their waits, in one statement. */
export async function recordLoginFailure(db: Database, email: string, ip: string, now: Date) {
  const { freePairFailures, maxPairDelaySeconds, ipFailuresPerWindow, ipWindowSeconds } = THROTTLE;
  const nowIso = now.toISOString();
  await db.execute(sql`
    INSERT INTO login_throttles AS t (key, failures, window_started_at, blocked_until)
    VALUES (${pairKey(email, ip)}, 1, ${nowIso}::timestamptz, NULL),
           (${ipKey(ip)}, 1, ${nowIso}::timestamptz, NULL)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.key LIKE 'ip:%' AND t.window_started_at < ${nowIso}::timestamptz - make_interval(secs => ${ipWindowSeconds})
                      THEN 1 ELSE t.failures + 1 END,
      window_started_at = CASE WHEN t.key LIKE 'ip:%' AND t.window_started_at < ${nowIso}::timestamptz - make_interval(secs => ${ipWindowSeconds})
                               THEN ${nowIso}::timestamptz ELSE t.window_started_at END
  `);
  // Waits follow from the new counts: exponential for the pair, end of the window for the ip.
  await db.execute(sql`
    UPDATE login_throttles SET blocked_until = CASE
      WHEN key LIKE 'pair:%' AND failures >= ${freePairFailures}
        THEN ${nowIso}::timestamptz + make_interval(secs => least(${maxPairDelaySeconds}::float8, power(2, failures - ${freePairFailures})))
      WHEN key LIKE 'ip:%' AND failures >= ${ipFailuresPerWindow}
        THEN window_started_at + make_interval(secs => ${ipWindowSeconds})
      ELSE NULL END
    WHERE key IN (${pairKey(email, ip)}, ${ipKey(ip)})
  `);
}

/** A successful login clears the pair's backoff (the ip's window keeps counting). */
export async function recordLoginSuccess(db: Database, email: string, ip: string) {
  await db.delete(loginThrottles).where(inArray(loginThrottles.key, [pairKey(email, ip)]));
}
