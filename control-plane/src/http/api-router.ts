import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from './api-env.ts';
import { ApiError } from './api-error.ts';

/** Describes what failed validation, first few issues, for the error message. */
export function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * A router for /api routes. Its validation hook turns every zod failure (params, query, body)
 * into invalid_request with the shared error shape, before any handler runs.
 */
export function newApiRouter() {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError(
          'invalid_request',
          `Invalid ${result.target}: ${describeIssues(result.error.issues)}`,
        );
      }
    },
  });
}
