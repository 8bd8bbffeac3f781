import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The caller's address, for login throttling and session records. Behind a proxy the socket
 * address is the proxy's, so a trusted header may be named (e.g. x-forwarded-for, cf-connecting-ip);
 * it is read only when configured, since anyone can send it.
 */
export function clientIp(c: Context, trustedHeader: string | undefined): string | null {
  if (trustedHeader) {
    const value = c.req.header(trustedHeader)?.split(',')[0]?.trim();
    if (value) return value;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // no socket, e.g. app.request() in tests
  }
}
