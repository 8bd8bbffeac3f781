import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { newApiRouter } from '../http/api-router.ts';
import { idParamsSchema, pageOf, pageQuerySchema } from '../http/list-query.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../http/openapi-helpers.ts';
import { getRoute, listRoute, patchRoute, postRoute } from '../http/resource-routes.ts';
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
import { type PostbackRouteDeps, postbackGuards } from './postback-route-guards.ts';
import { testFire } from './test-fire.ts';

const tags = ['postbacks'];
const item = postbackConfigResponseSchema;

/** /api/v1/postback-configs: an affiliate's outgoing postbacks, their test-fire and attempt log. */
export function postbackConfigRoutes(deps: PostbackRouteDeps) {
  const app = newApiRouter();
  const { read, write } = postbackGuards(deps);

  app.openapi(
    listRoute({
      tags,
      summary: 'Postback configurations',
      middleware: read,
      query: pageQuerySchema,
      item,
      description: 'Configurations',
    }),
    async (c) => {
      const page = c.req.valid('query');
      const rows = await listConfigs(deps.db, c.var.principal, page);
      return c.json(pageOf(rows, page.limit, postbackConfigResponse), 200);
    },
  );

  app.openapi(
    getRoute({
      tags,
      summary: 'One postback configuration',
      middleware: read,
      item,
      description: 'The configuration',
    }),
    async (c) =>
      c.json(
        postbackConfigResponse(await visibleConfig(deps.db, c.var.principal, c.req.valid('param').id)),
        200,
      ),
  );

  app.openapi(
    postRoute({
      tags,
      summary: 'Create a postback configuration',
      middleware: write,
      body: postbackConfigCreateRequestSchema,
      item,
      errors: ['not_found'],
    }),
    async (c) =>
      c.json(postbackConfigResponse(await createConfig(deps.db, c.var.principal, c.req.valid('json'))), 201),
  );

  app.openapi(
    patchRoute({
      tags,
      summary: 'Change a postback configuration (isActive: true re-enables a disabled one)',
      middleware: write,
      body: postbackConfigUpdateRequestSchema,
      item,
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
