import { createMiddleware } from 'hono/factory';
import type { AccessTokenKeys } from '../../auth/access-tokens.ts';
import { resolvePrincipal } from '../../auth/resolve-principal.ts';
import type { Database } from '../../db/database.ts';
import type { ApiEnv } from '../api-env.ts';
import { ApiError } from '../api-error.ts';

export type AuthenticateDeps = { db: Database; keys: AccessTokenKeys; now?: () => Date };

/** Requires `Authorization: Bearer <access token | API key>` and sets `principal`. */
export function authenticate(deps: AuthenticateDeps) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,2048})$/.exec(header);
    if (!match?.[1])
      throw new ApiError('unauthorized', 'Send Authorization: Bearer <access token or API key>.');
    const principal = await resolvePrincipal(deps, match[1]);
    if (!principal) throw new ApiError('unauthorized', 'The credential is invalid, expired or revoked.');
    c.set('principal', principal);
    await next();
  });
}
