import { entityIdParamSchema } from '@tas/shared/ids';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { newApiRouter } from '../http/api-router.ts';
import { pageOf, pageQuerySchema } from '../http/list-query.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { getRoute, listRoute, patchRoute, postRoute } from '../http/resource-routes.ts';
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
const item = creativeResponseSchema;

/** /api/v1/creatives: creative metadata; advertisers manage theirs, affiliates read those they may run. */
export function creativeRoutes(deps: AuthenticateDeps & { edge: EdgePublisher }) {
  const app = newApiRouter();
  const auth = authenticate(deps);
  // Every role reads creatives (offers:read); creative-service narrows which ones by role.
  const read = [auth, requireScope('offers:read')];
  const write = [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')];

  app.openapi(
    listRoute({
      tags,
      summary: 'Creatives you may see',
      middleware: read,
      query: pageQuerySchema.extend({
        campaignId: entityIdParamSchema.optional(),
        offerId: entityIdParamSchema.optional().describe('Those of campaigns promoting this offer'),
      }),
      item,
      description: 'Creatives',
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await listCreatives(deps.db, c.var.principal, query);
      return c.json(pageOf(rows, query.limit, creativeResponse), 200);
    },
  );

  app.openapi(
    getRoute({ tags, summary: 'One creative', middleware: read, item, description: 'The creative' }),
    async (c) =>
      c.json(creativeResponse(await visibleCreative(deps.db, c.var.principal, c.req.valid('param').id)), 200),
  );

  app.openapi(
    postRoute({
      tags,
      summary: 'Add a creative to a campaign',
      middleware: write,
      body: creativeCreateRequestSchema,
      item,
      errors: ['not_found', 'conflict', 'edge_unavailable'],
    }),
    async (c) =>
      c.json(creativeResponse(await createCreative(deps, c.var.principal, c.req.valid('json'))), 201),
  );

  app.openapi(
    patchRoute({
      tags,
      summary: 'Change a creative',
      middleware: write,
      body: creativeUpdateRequestSchema,
      item,
      errors: ['edge_unavailable'],
    }),
    async (c) => {
      const row = await updateCreative(deps, c.var.principal, c.req.valid('param').id, c.req.valid('json'));
      return c.json(creativeResponse(row), 200);
    },
  );
  return app;
}
