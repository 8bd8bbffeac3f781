import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { ApiEnv } from './api-env.ts';
import type { ErrorCode } from './api-error.ts';
import { idParamsSchema, pageResponseSchema } from './list-query.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from './openapi-helpers.ts';

/*
 * The list / one-by-id / create / change declarations that every id-keyed resource repeats, built
 * from its schemas so that paths, security and the documented errors stay the same across
 * resources. Handlers stay in each resource's routes file, where they differ; routes of another
 * shape (actions, sub-resources, uuid ids) are declared with createRoute as before.
 */

type Declaration = {
  tags: string[];
  summary: string;
  middleware: MiddlewareHandler<ApiEnv>[];
};

/** GET / : a keyset page (`query` extends pageQuerySchema), answered as `{ data, nextAfter }`. */
export function listRoute<Q extends z.ZodObject, S extends z.ZodType>(
  d: Declaration & { query: Q; item: S; description: string },
) {
  return createRoute({
    method: 'get',
    path: '/',
    tags: d.tags,
    summary: d.summary,
    security: bearerSecurity,
    middleware: d.middleware,
    request: { query: d.query },
    responses: {
      200: jsonResponse(pageResponseSchema(d.item), d.description),
      ...errorResponses('unauthorized', 'forbidden'),
    },
  });
}

/** GET /{id}: one row the caller may see; not_found otherwise. */
export function getRoute<S extends z.ZodType>(d: Declaration & { item: S; description: string }) {
  return createRoute({
    method: 'get',
    path: '/{id}',
    tags: d.tags,
    summary: d.summary,
    security: bearerSecurity,
    middleware: d.middleware,
    request: { params: idParamsSchema },
    responses: {
      200: jsonResponse(d.item, d.description),
      ...errorResponses('unauthorized', 'forbidden', 'not_found'),
    },
  });
}

/** POST / : creates one, answered 201; `errors` are those beyond unauthorized and forbidden. */
export function postRoute<B extends z.ZodType, S extends z.ZodType>(
  d: Declaration & { body: B; item: S; errors?: ErrorCode[] },
) {
  return createRoute({
    method: 'post',
    path: '/',
    tags: d.tags,
    summary: d.summary,
    security: bearerSecurity,
    middleware: d.middleware,
    request: { body: jsonBody(d.body) },
    responses: {
      201: jsonResponse(d.item, 'Created'),
      ...errorResponses('unauthorized', 'forbidden', ...(d.errors ?? [])),
    },
  });
}

/** PATCH /{id}: changes one, answered 200; `errors` are those beyond unauthorized, forbidden, not_found. */
export function patchRoute<B extends z.ZodType, S extends z.ZodType>(
  d: Declaration & { body: B; item: S; errors?: ErrorCode[] },
) {
  return createRoute({
    method: 'patch',
    path: '/{id}',
    tags: d.tags,
    summary: d.summary,
    security: bearerSecurity,
    middleware: d.middleware,
    request: { params: idParamsSchema, body: jsonBody(d.body) },
    responses: {
      200: jsonResponse(d.item, 'Changed'),
      ...errorResponses('unauthorized', 'forbidden', 'not_found', ...(d.errors ?? [])),
    },
  });
}
