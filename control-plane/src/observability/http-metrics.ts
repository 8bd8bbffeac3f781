import { createMiddleware } from 'hono/factory';
import type { Metrics } from './metrics.ts';
import { routeLabel } from './route-label.ts';

const REPORTS = '/api/v1/reports';

/**
 * Times every request by method, route pattern and status, and report requests on their own
 * histogram too (the figure the reporting work is judged by). `/metrics` itself is left out.
 */
export function httpMetrics(metrics: Metrics) {
  return createMiddleware(async (c, next) => {
    const started = performance.now();
    await next();
    const route = routeLabel(c);
    if (route === '/metrics') return;
    const seconds = (performance.now() - started) / 1000;
    const status = String(c.res.status);
    metrics.httpSeconds.observe({ method: c.req.method, route, status }, seconds);
    if (route.startsWith(REPORTS)) metrics.reportSeconds.observe({ route, status }, seconds);
  });
}
