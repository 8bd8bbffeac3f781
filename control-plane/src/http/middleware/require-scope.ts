import { createMiddleware } from 'hono/factory';
import { hasScope } from '../../auth/principal.ts';
import type { Scope } from '../../auth/roles.ts';
import type { ApiEnv } from '../api-env.ts';
import { ApiError } from '../api-error.ts';

/** API keys must carry the scope; people in a session have all the scopes of their role. */
export function requireScope(scope: Scope) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    if (!hasScope(c.var.principal, scope))
      throw new ApiError('forbidden', `This API key lacks the scope ${scope}.`);
    await next();
  });
}
