import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Database } from '../db/database.ts';
import { newApiRouter } from '../http/api-router.ts';
import { idParamsSchema, nextAfter, pageQuerySchema } from '../http/list-query.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import type { OutboundPolicy } from './outbound-guard.ts';
import {
  createConfig,
  listConfigs,
  postbackAttemptResponse,
  postbackAttemptResponseSchema,
  postbackConfigCreateRequestSchema,
  postbackConfigResponse,
  postbackConfigResponseSchema,
  postbackConfigUpdateRequestSchema,
  recentAttempts,
  updateConfig,
  visibleConfig,
} from './postback-config-service.ts';
import { testFire } from './test-fire.ts';

const tags = ['postbacks'];

/** /api/v1/postback-configs: an affiliate's outgoing postbacks, their test-fire and attempt log. */
export function postbackConfigRoutes(deps: {
  db: Database;
  keys: AccessTokenKeys;
  outboundPolicy: OutboundPolicy;
  now?: () => Date;
}) {
  const app = newApiRouter();
  const auth = authenticate(deps);
  const read = [auth, requireRole('admin', 'affiliate'), requireScope('postbacks:read')];
  const write = [auth, requireRole('admin', 'affiliate'), requireScope('postbacks:write')];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Postback configurations',
      security: bearerSecurity,
      middleware: read,
      request: { query: pageQuerySchema },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(postbackConfigResponseSchema), nextAfter: z.number().int().nullable() }),
          'Configurations',
        ),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const page = c.req.valid('query');
      const rows = await listConfigs(deps.db, c.var.principal, page);
      return c.json({ data: rows.map(postbackConfigResponse), nextAfter: nextAfter(rows, page.limit) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      summary: 'One postback configuration',
      security: bearerSecurity,
      middleware: read,
      request: { params: idParamsSchema },
      responses: {
        200: jsonResponse(postbackConfigResponseSchema, 'The configuration'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) =>
      c.json(
        postbackConfigResponse(await visibleConfig(deps.db, c.var.principal, c.req.valid('param').id)),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Create a postback configuration',
      security: bearerSecurity,
      middleware: write,
      request: { body: jsonBody(postbackConfigCreateRequestSchema) },
      responses: {
        201: jsonResponse(postbackConfigResponseSchema, 'Created'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) =>
      c.json(postbackConfigResponse(await createConfig(deps.db, c.var.principal, c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      summary: 'Change a postback configuration (isActive: true re-enables a disabled one)',
      security: bearerSecurity,
      middleware: write,
      request: { params: idParamsSchema, body: jsonBody(postbackConfigUpdateRequestSchema) },
      responses: {
        200: jsonResponse(postbackConfigResponseSchema, 'Changed'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const row = await updateConfig(deps.db, c.var.principal, c.req.valid('param').id, c.req.valid('json'));
      return c.json(postbackConfigResponse(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/test',
      tags,
      summary: 'Fire the postback once with sample values and report the answer',
      description: 'The request goes out at once; the attempt is logged like deliveries are.',
      security: bearerSecurity,
      middleware: write,
      request: { params: idParamsSchema },
      responses: {
        200: jsonResponse(postbackAttemptResponseSchema, 'What the endpoint answered (ok false on failure)'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const config = await visibleConfig(deps.db, c.var.principal, c.req.valid('param').id);
      const attempt = await testFire(deps.db, config, deps.outboundPolicy, deps.now?.());
      return c.json(postbackAttemptResponse(attempt), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/attempts',
      tags,
      summary: 'The latest attempts (url, status, latency, body excerpt), newest first',
      security: bearerSecurity,
      middleware: read,
      request: {
        params: idParamsSchema,
        query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      },
      responses: {
        200: jsonResponse(z.object({ data: z.array(postbackAttemptResponseSchema) }), 'Attempts'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const config = await visibleConfig(deps.db, c.var.principal, c.req.valid('param').id);
      const rows = await recentAttempts(deps.db, config.id, c.req.valid('query').limit);
      return c.json({ data: rows.map(postbackAttemptResponse) }, 200);
    },
  );
  return app;
}
