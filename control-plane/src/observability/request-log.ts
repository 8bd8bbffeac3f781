import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from './logger.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.ts';
import { routeLabel } from './route-label.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** What a handler adds to its request's log line (annotateRequestLog). */
    logFields: Record<string, unknown>;
  }
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

type LogEnv = { Variables: { principal?: Principal } };

/** Adds fields (counts, ids; never a credential) to the one log line of this request. */
export function annotateRequestLog(c: Context, fields: Record<string, unknown>): void {
  const current: unknown = c.get('logFields');
  c.set('logFields', { ...(typeof current === 'object' && current !== null ? current : {}), ...fields });
}

/** Who called, by id only: the session or API key's id, never the token that proved it. */
function principalFields(principal: Principal | undefined) {
  if (!principal) return undefined;
  return {
    userId: principal.userId,
    role: principal.role,
    via: principal.via.kind,
    ...(principal.via.kind === 'api_key' ? { apiKeyId: principal.via.apiKeyId } : {}),
  };
}

/**
 * One JSON line per request: method, route pattern, status, milliseconds, request id, and the
 * principal when one was resolved. The request id is the caller's `x-request-id` (the edge sends
 * one with every ingest POST) or a new one, and is answered in `x-request-id` either way.
 * Deliberately absent: the path (ids, reset tokens), the query (signed links), headers and bodies.
 */
export function requestLog(logger: Logger) {
  return createMiddleware<LogEnv>(async (c, next) => {
    const started = performance.now();
    const requestId = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', requestId);
    c.header(REQUEST_ID_HEADER, requestId);
    await next();
    // Set again: a handler that built its own Response (a stream, a file) did not carry it. A
    // Response passed on from fetch() has immutable headers: it goes without.
    if (!c.res.headers.has(REQUEST_ID_HEADER)) {
      try {
        c.res.headers.set(REQUEST_ID_HEADER, requestId);
      } catch {}
    }
    const status = c.res.status;
    const line = {
      requestId,
      method: c.req.method,
      route: routeLabel(c),
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      principal: principalFields(c.get('principal')),
      ...c.get('logFields'),
    };
    if (status >= 500) logger.error(line, 'request');
    // Load balancers' and Prometheus' polls would drown the rest: at debug, unless they fail.
    else if (PROBES.has(line.route)) logger.debug(line, 'request');
    else logger.info(line, 'request');
  });
}
