import { createMiddleware } from 'hono/factory';
import type { AccessTokenKeys } from '../../auth/access-tokens.ts';
import type { Principal } from '../../auth/principal.ts';
import { resolvePrincipal } from '../../auth/resolve-principal.ts';
import type { Database } from '../../db/database.ts';
import type { ApiEnv } from '../api-env.ts';
import { ApiError } from '../api-error.ts';
import { clientIp } from '../client-ip.ts';

/**
 * Who sent a request to /api: its client address and, when it carries a valid bearer credential,
 * the principal (or the error resolving it raised, e.g. account_suspended, for `authenticate` to
 * answer). Resolved once here, so the rate limit can count by key or user and `authenticate`
 * does not look the credential up a second time.
 */
export type CallerIdentity = {
  ip: string | null;
  /** The bearer credential sent, if well formed. */
  credential: string | null;
  principal: Principal | null;
  error: ApiError | null;
};

export type IdentifyCallerDeps = {
  db: Database;
  keys: AccessTokenKeys;
  trustedIpHeader?: string | undefined;
  trustedProxyHops?: number | undefined;
  now?: () => Date;
};

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{10,2048})$/;

/** The bearer credential of `header`, if it is one. */
export function bearerOf(header: string | undefined): string | null {
  return BEARER.exec(header ?? '')?.[1] ?? null;
}

export function identifyCaller(deps: IdentifyCallerDeps) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const ip = clientIp(c, deps.trustedIpHeader, deps.trustedProxyHops);
    const credential = bearerOf(c.req.header('authorization'));
    let principal: Principal | null = null;
    let error: ApiError | null = null;
    if (credential) {
      try {
        principal = await resolvePrincipal(deps, credential, { ip });
      } catch (thrown) {
        if (!(thrown instanceof ApiError)) throw thrown;
        error = thrown;
      }
    }
    c.set('caller', { ip, credential, principal, error });
    await next();
  });
}
