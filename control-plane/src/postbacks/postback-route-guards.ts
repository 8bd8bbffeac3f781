import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import type { OutboundPolicy } from './outbound-guard.ts';

/** What the postback config and delivery routes need: authentication and the outbound policy. */
export type PostbackRouteDeps = AuthenticateDeps & { outboundPolicy: OutboundPolicy };

/**
 * Postback configs and their deliveries are one affiliate's (or any, for admins), so both route
 * files guard alike: reading needs postbacks:read, changing or sending needs postbacks:write.
 */
export function postbackGuards(deps: AuthenticateDeps) {
  const auth = authenticate(deps);
  return {
    read: [auth, requireRole('admin', 'affiliate'), requireScope('postbacks:read')],
    write: [auth, requireRole('admin', 'affiliate'), requireScope('postbacks:write')],
  };
}
