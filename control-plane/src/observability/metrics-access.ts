import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Who may read `/metrics`: holders of a bearer token, everyone who can reach the server, or
 * nobody (the endpoint answers 404 as if it did not exist).
 */
export type MetricsAccess = { token: string } | 'open' | 'closed';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * METRICS_TOKEN set: that token, always. Unset: closed in production; outside production, open
 * only when the server listens on loopback alone (HOST 127.0.0.1, the development default), so
 * nothing off the machine can reach it. Deciding from HOST, not from each request's address,
 * keeps the rule the same behind a proxy and in tests.
 */
export function metricsAccessOf(settings: {
  METRICS_TOKEN?: string | undefined;
  NODE_ENV: string;
  HOST: string;
}): MetricsAccess {
  if (settings.METRICS_TOKEN) return { token: settings.METRICS_TOKEN };
  if (settings.NODE_ENV === 'production') return 'closed';
  return LOOPBACK.test(settings.HOST) ? 'open' : 'closed';
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares in constant time (by digests, so the lengths do not show either). */
export function tokenMatches(expected: string, authorization: string | undefined): boolean {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  if (!match?.[1]) return false;
  return timingSafeEqual(digest(expected), digest(match[1]));
}
