import { createMiddleware } from 'hono/factory';
import type { Role } from '../../auth/roles.ts';
import type { ApiEnv } from '../api-env.ts';
import { ApiError } from '../api-error.ts';

/** Lets through only the given roles (after authenticate). */
export function requireRole(...roles: Role[]) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    if (!roles.includes(c.var.principal.role)) {
      throw new ApiError('forbidden', `This needs the role ${roles.join(' or ')}.`);
    }
    await next();
  });
}
