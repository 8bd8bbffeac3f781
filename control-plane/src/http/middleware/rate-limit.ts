import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { throttleAddress } from '../../auth/throttle-address.ts';
import type { Database } from '../../db/database.ts';
import type { ApiEnv } from '../api-env.ts';
import { ApiError } from '../api-error.ts';
import type { RateLimits } from '../rate-limit/rate-limits.ts';
import { countRequest, RATE_WINDOW_SECONDS } from '../rate-limit/rate-window.ts';
import type { CallerIdentity } from './identify-caller.ts';

/** The counter a request is charged to, and its limit per window. */
export function rateBucketOf(caller: CallerIdentity, limits: RateLimits): { key: string; limit: number } {
  const { principal } = caller;
  if (principal?.via.kind === 'api_key') {
    return { key: `key:${principal.via.apiKeyId}`, limit: limits.apiKeyPerMinute };
  }
  if (principal) return { key: `user:${principal.userId}`, limit: limits.userPerMinute };
  // No valid credential: a made-up key or token buys no counter of its own.
  return { key: `ip:${caller.ip ? throttleAddress(caller.ip) : 'unknown'}`, limit: limits.ipPerMinute };
}

/**
 * Counts each /api request against its caller's limit (after identifyCaller), in Postgres so that
 * every instance shares it: one upsert per request. Answers the IETF draft headers
 * (RateLimit-Limit, -Remaining, -Reset in seconds, and RateLimit-Policy) and, over the limit,
 * 429 rate_limited with Retry-After until the window ends.
 */
export function rateLimit(deps: { db: Database; limits: RateLimits; now?: () => Date }) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const { key, limit } = rateBucketOf(c.var.caller, deps.limits);
    if (limit <= 0) return next();
    const now = (deps.now ?? (() => new Date()))();
    const { count, windowStart } = await countRequest(deps.db, key, now);
    const resetSeconds = Math.max(
      1,
      Math.ceil((windowStart.getTime() + RATE_WINDOW_SECONDS * 1000 - now.getTime()) / 1000),
    );
    setRateHeaders(c, limit, Math.max(0, limit - count), resetSeconds);
    if (count > limit) {
      throw new ApiError(
        'rate_limited',
        `Too many requests: at most ${limit} a minute; try again in ${resetSeconds} s.`,
        { retryAfterSeconds: resetSeconds },
      );
    }
    await next();
  });
}

function setRateHeaders(c: Context, limit: number, remaining: number, resetSeconds: number) {
  c.header('RateLimit-Limit', String(limit));
  c.header('RateLimit-Remaining', String(remaining));
  c.header('RateLimit-Reset', String(resetSeconds));
  c.header('RateLimit-Policy', `${limit};w=${RATE_WINDOW_SECONDS}`);
}
