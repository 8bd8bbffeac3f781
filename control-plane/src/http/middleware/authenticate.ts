import { createMiddleware } from 'hono/factory';
import type { AccessTokenKeys } from '../../auth/access-tokens.ts';
import { resolvePrincipal } from '../../auth/resolve-principal.ts';
import type { Database } from '../../db/database.ts';
import type { ApiEnv } from '../api-env.ts';
import { ApiError } from '../api-error.ts';
import { clientIp } from '../client-ip.ts';
import { bearerOf } from './identify-caller.ts';

export type AuthenticateDeps = {
  db: Database;
  keys: AccessTokenKeys;
  trustedIpHeader?: string | undefined;
  trustedProxyHops?: number | undefined;
  now?: () => Date;
};

/**
 * Requires `Authorization: Bearer <access token | API key>` and sets `principal`. Uses what
 * identifyCaller resolved for this request, or resolves the credential itself (a router used
 * without the app's /api middleware).
 */
export function authenticate(deps: AuthenticateDeps) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const credential = bearerOf(c.req.header('authorization'));
    if (!credential)
      throw new ApiError('unauthorized', 'Send Authorization: Bearer <access token or API key>.');
    const caller = c.get('caller');
    let principal: Awaited<ReturnType<typeof resolvePrincipal>>;
    if (caller?.credential === credential) {
      if (caller.error) throw caller.error;
      principal = caller.principal;
    } else {
      principal = await resolvePrincipal(deps, credential, {
        ip: clientIp(c, deps.trustedIpHeader, deps.trustedProxyHops),
      });
    }
    if (!principal) throw new ApiError('unauthorized', 'The credential is invalid, expired or revoked.');
    c.set('principal', principal);
    await next();
  });
}
