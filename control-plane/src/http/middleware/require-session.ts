import { createMiddleware } from 'hono/factory';
import type { ApiEnv } from '../api-env.ts';
import { ApiError } from '../api-error.ts';

/** For what only a person may do (manage API keys, end sessions): an API key is refused. */
export const requireSession = createMiddleware<ApiEnv>(async (c, next) => {
  if (c.var.principal.via.kind !== 'session') {
    throw new ApiError('forbidden', 'This needs a logged-in user, not an API key.');
  }
  await next();
});
