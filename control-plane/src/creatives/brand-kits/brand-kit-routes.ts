import { createRoute } from '@hono/zod-openapi';
import { entityIdParamSchema } from '@tas/shared/ids';
import { newApiRouter } from '../../http/api-router.ts';
import { idParamsSchema, nextAfter, pageQuerySchema } from '../../http/list-query.ts';
import { type AuthenticateDeps, authenticate } from '../../http/middleware/authenticate.ts';
import { requireRole } from '../../http/middleware/require-role.ts';
import { requireScope } from '../../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../../http/openapi-helpers.ts';
import { getRoute, listRoute, postRoute } from '../../http/resource-routes.ts';
import {
  brandKitCreateRequestSchema,
  brandKitRequestSchema,
  brandKitResponseSchema,
  createBrandKit,
  getBrandKit,
  listBrandKits,
  saveBrandKit,
} from './brand-kit-service.ts';

const tags = ['creatives'];
const item = brandKitResponseSchema;

/** /api/v1/brand-kits: advertisers' brand kits, versioned; advertisers keep theirs, admins any. */
export function brandKitRoutes(deps: AuthenticateDeps) {
  const app = newApiRouter();
  const auth = authenticate(deps);
  const read = [auth, requireRole('admin', 'advertiser'), requireScope('offers:read')];
  const write = [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')];

  app.openapi(
    listRoute({
      tags,
      summary: 'Brand kits you may see',
      middleware: read,
      query: pageQuerySchema.extend({ advertiserId: entityIdParamSchema.optional() }),
      item,
      description: 'Brand kits, each at its current version',
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { rows, kits } = await listBrandKits(deps.db, c.var.principal, query);
      return c.json({ data: kits, nextAfter: nextAfter(rows, query.limit) }, 200);
    },
  );

  app.openapi(
    getRoute({ tags, summary: 'One brand kit', middleware: read, item, description: 'Its current version' }),
    async (c) => c.json(await getBrandKit(deps.db, c.var.principal, c.req.valid('param').id), 200),
  );

  app.openapi(
    postRoute({
      tags,
      summary: 'Create a brand kit (version 1)',
      middleware: write,
      body: brandKitCreateRequestSchema,
      item,
      errors: ['not_found', 'unsupported_type'],
    }),
    async (c) => c.json(await createBrandKit(deps.db, c.var.principal, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/{id}',
      tags,
      summary: 'Save a brand kit: a new version',
      description: 'The whole kit; jobs made earlier keep the version they were made with.',
      security: bearerSecurity,
      middleware: write,
      request: { params: idParamsSchema, body: jsonBody(brandKitRequestSchema) },
      responses: {
        200: jsonResponse(item, 'Saved'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'unsupported_type'),
      },
    }),
    async (c) =>
      c.json(await saveBrandKit(deps.db, c.var.principal, c.req.valid('param').id, c.req.valid('json')), 200),
  );
  return app;
}
