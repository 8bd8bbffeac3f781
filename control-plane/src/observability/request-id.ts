import type { Context } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set for every request by the request log (request-log.ts), and returned in `x-request-id`. */
    requestId: string;
  }
}

export const REQUEST_ID_HEADER = 'x-request-id';

// Ids come from callers (the edge, a proxy, a browser): only a short, plain token is kept, so a
// log line or an error body never carries what someone chose to inject.
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id when it is a plain token, else a new one. */
export function requestIdFrom(header: string | undefined): string {
  return header !== undefined && ACCEPTED.test(header) ? header : crypto.randomUUID();
}

/** The request's id: the one the request log set, or (before it ran) one from the header. */
export function requestIdOf(c: Context): string {
  const set: unknown = c.get('requestId');
  return typeof set === 'string' ? set : requestIdFrom(c.req.header(REQUEST_ID_HEADER));
}
