import { createRoute } from '@hono/zod-openapi';
import { entityIdParamSchema } from '@tas/shared/ids';
import { z } from 'zod';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Database } from '../db/database.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { newApiRouter } from '../http/api-router.ts';
import { idParamsSchema, nextAfter, pageQuerySchema } from '../http/list-query.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import {
  createCreative,
  creativeCreateRequestSchema,
  creativeResponse,
  creativeResponseSchema,
  creativeUpdateRequestSchema,
  listCreatives,
  updateCreative,
  visibleCreative,
} from './creative-service.ts';

const tags = ['creatives'];

/** /api/v1/creatives: creative metadata; advertisers manage theirs, affiliates read those they may run. */
export function creativeRoutes(deps: {
  db: Database;
  edge: EdgePublisher;
  keys: AccessTokenKeys;
  now?: () => Date;
}) {
  const app = newApiRouter();
  const auth = authenticate(deps);
  const write = [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Creatives you may see',
      security: bearerSecurity,
      middleware: [auth, requireScope('offers:read')],
      request: { query: pageQuerySchema.extend({ campaignId: entityIdParamSchema.optional() }) },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(creativeResponseSchema), nextAfter: z.number().int().nullable() }),
          'Creatives',
        ),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await listCreatives(deps.db, c.var.principal, query);
      return c.json({ data: rows.map(creativeResponse), nextAfter: nextAfter(rows, query.limit) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      summary: 'One creative',
      security: bearerSecurity,
      middleware: [auth, requireScope('offers:read')],
      request: { params: idParamsSchema },
      responses: {
        200: jsonResponse(creativeResponseSchema, 'The creative'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) =>
      c.json(creativeResponse(await visibleCreative(deps.db, c.var.principal, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Add a creative to a campaign',
      security: bearerSecurity,
      middleware: write,
      request: { body: jsonBody(creativeCreateRequestSchema) },
      responses: {
        201: jsonResponse(creativeResponseSchema, 'Created'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) =>
      c.json(creativeResponse(await createCreative(deps, c.var.principal, c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      summary: 'Change a creative',
      security: bearerSecurity,
      middleware: write,
      request: { params: idParamsSchema, body: jsonBody(creativeUpdateRequestSchema) },
      responses: {
        200: jsonResponse(creativeResponseSchema, 'Changed'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const row = await updateCreative(
        deps.db,
        c.var.principal,
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return c.json(creativeResponse(row), 200);
    },
  );
  return app;
}
