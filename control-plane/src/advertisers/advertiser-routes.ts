import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { newApiRouter } from '../http/api-router.ts';
import { pageOf, pageQuerySchema } from '../http/list-query.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { getRoute, listRoute, patchRoute, postRoute } from '../http/resource-routes.ts';
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
const item = advertiserResponseSchema;

/** /api/v1/advertisers: admins manage all; an advertiser user sees and edits its own profile. */
export function advertiserRoutes(deps: AuthenticateDeps & { edge: EdgePublisher }) {
  const app = newApiRouter();
  const auth = authenticate(deps);
  const read = [auth, requireRole('admin', 'advertiser'), requireScope('advertisers:read')];

  app.openapi(
    listRoute({
      tags,
      summary: 'Advertisers (an advertiser user gets its own only)',
      middleware: read,
      query: pageQuerySchema,
      item,
      description: 'Advertisers',
    }),
    async (c) => {
      const page = c.req.valid('query');
      const rows = await listAdvertisers(deps.db, c.var.principal, page);
      return c.json(pageOf(rows, page.limit, advertiserResponse), 200);
    },
  );

  app.openapi(
    getRoute({ tags, summary: 'One advertiser', middleware: read, item, description: 'The advertiser' }),
    async (c) =>
      c.json(
        advertiserResponse(await visibleAdvertiser(deps.db, c.var.principal, c.req.valid('param').id)),
        200,
      ),
  );

  app.openapi(
    postRoute({
      tags,
      summary: 'Create an advertiser',
      middleware: [auth, requireRole('admin'), requireScope('advertisers:write')],
      body: advertiserCreateRequestSchema,
      item,
    }),
    async (c) => c.json(advertiserResponse(await createAdvertiser(deps.db, c.req.valid('json'))), 201),
  );

  app.openapi(
    patchRoute({
      tags,
      summary: 'Change an advertiser (its status: admins only)',
      // Advertisers edit their own profile with a session; API keys of advertisers cannot write it.
      middleware: [auth, requireRole('admin', 'advertiser'), requireScope('advertisers:write')],
      body: advertiserUpdateRequestSchema,
      item,
      errors: ['edge_unavailable'],
    }),
    async (c) => {
      const row = await updateAdvertiser(deps, c.var.principal, c.req.valid('param').id, c.req.valid('json'));
      return c.json(advertiserResponse(row), 200);
    },
  );
  return app;
}
