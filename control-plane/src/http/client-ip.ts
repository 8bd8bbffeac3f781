import { getConnInfo } from '@hono/node-server/conninfo';
import { parseIp } from '@tas/shared/ip-match';
import type { Context } from 'hono';

/**
 * The caller's address, for login throttling, sign-up limits and session records. Behind a proxy
 * the socket address is the proxy's, so a trusted header may be named (x-forwarded-for,
 * cf-connecting-ip); it is read only when configured, since anyone can send it.
 *
 * A proxy appends the address it saw to whatever the client sent, so only the entries at the
 * right were written by proxies we trust: with `proxyHops` proxies in front of us, the address
 * is the `proxyHops`-th entry from the right (the one the outermost trusted proxy added). The
 * entries left of it are the client's own words. A value that is not an address (a
 * misconfigured proxy) is not used: the socket address is safer than a made-up key.
 */
export function clientIp(c: Context, trustedHeader: string | undefined, proxyHops = 1): string | null {
  if (trustedHeader) {
    const entries = c.req.header(trustedHeader)?.split(',') ?? [];
    if (entries.length > 0) {
      const entry = entries[Math.max(0, entries.length - proxyHops)]?.trim() ?? '';
      return parseIp(entry) ? entry : socketAddress(c);
    }
  }
  return socketAddress(c);
}

function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // no socket, e.g. app.request() in tests
  }
}
