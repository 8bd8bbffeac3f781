import { Hono } from 'hono';
import { ApiError } from '../http/api-error.ts';
import type { Metrics } from './metrics.ts';
import { type MetricsAccess, tokenMatches } from './metrics-access.ts';

/**
 * `GET /metrics` in Prometheus' text format, outside /api (not part of the documented API).
 * Guarded by metrics-access.ts: a missing or wrong token is 401, a closed endpoint 404.
 */
export function metricsRoute(metrics: Metrics, access: MetricsAccess) {
  return new Hono().get('/', async (c) => {
    if (access === 'closed') throw new ApiError('not_found', 'No such endpoint.');
    if (access !== 'open' && !tokenMatches(access.token, c.req.header('authorization'))) {
      c.header('www-authenticate', 'Bearer realm="metrics"');
      throw new ApiError('unauthorized', 'Send Authorization: Bearer <METRICS_TOKEN>.');
    }
    const body = await metrics.registry.metrics();
    return c.body(body, 200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
  });
}
