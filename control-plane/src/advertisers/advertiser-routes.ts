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
import {
  advertiserCreateRequestSchema,
  advertiserResponse,
  advertiserResponseSchema,
  advertiserUpdateRequestSchema,
  createAdvertiser,
  listAdvertisers,
  updateAdvertiser,
  visibleAdvertiser,
} from './advertiser-service.ts';

const tags = ['advertisers'];

/** /api/v1/advertisers: admins manage all; an advertiser user sees and edits its own profile. */
export function advertiserRoutes(deps: { db: Database; keys: AccessTokenKeys; now?: () => Date }) {
  const app = newApiRouter();
  const auth = authenticate(deps);
  const read = [auth, requireRole('admin', 'advertiser'), requireScope('advertisers:read')];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Advertisers (an advertiser user gets its own only)',
      security: bearerSecurity,
      middleware: read,
      request: { query: pageQuerySchema },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(advertiserResponseSchema), nextAfter: z.number().int().nullable() }),
          'Advertisers',
        ),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const page = c.req.valid('query');
      const rows = await listAdvertisers(deps.db, c.var.principal, page);
      return c.json({ data: rows.map(advertiserResponse), nextAfter: nextAfter(rows, page.limit) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      summary: 'One advertiser',
      security: bearerSecurity,
      middleware: read,
      request: { params: idParamsSchema },
      responses: {
        200: jsonResponse(advertiserResponseSchema, 'The advertiser'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) =>
      c.json(
        advertiserResponse(await visibleAdvertiser(deps.db, c.var.principal, c.req.valid('param').id)),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Create an advertiser',
      security: bearerSecurity,
      middleware: [auth, requireRole('admin'), requireScope('advertisers:write')],
      request: { body: jsonBody(advertiserCreateRequestSchema) },
      responses: {
        201: jsonResponse(advertiserResponseSchema, 'Created'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => c.json(advertiserResponse(await createAdvertiser(deps.db, c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      summary: 'Change an advertiser (its status: admins only)',
      security: bearerSecurity,
      // Advertisers edit their own profile with a session; API keys of advertisers cannot write it.
      middleware: [auth, requireRole('admin', 'advertiser'), requireScope('advertisers:write')],
      request: { params: idParamsSchema, body: jsonBody(advertiserUpdateRequestSchema) },
      responses: {
        200: jsonResponse(advertiserResponseSchema, 'Changed'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const row = await updateAdvertiser(
        deps.db,
        c.var.principal,
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return c.json(advertiserResponse(row), 200);
    },
  );
  return app;
}
