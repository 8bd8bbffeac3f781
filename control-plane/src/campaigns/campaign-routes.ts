import { createRoute } from '@hono/zod-openapi';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Campaign } from '../db/schema/campaigns.ts';
import { newApiRouter } from '../http/api-router.ts';
import { idParamsSchema, nextAfter, pageQuerySchema } from '../http/list-query.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../http/openapi-helpers.ts';
import { getRoute, listRoute, patchRoute, postRoute } from '../http/resource-routes.ts';
import {
  type CampaignDeps,
  campaignCreateRequestSchema,
  campaignResponseSchema,
  campaignResponses,
  campaignUpdateRequestSchema,
  createCampaign,
  listCampaigns,
  updateCampaign,
  visibleCampaign,
} from './campaign-service.ts';
import { campaignSpend, campaignSpendResponseSchema } from './campaign-spend.ts';

const tags = ['campaigns'];
const item = campaignResponseSchema;

/** /api/v1/campaigns: an advertiser's campaigns with budgets and schedules. */
export function campaignRoutes(deps: CampaignDeps & { keys: AccessTokenKeys }) {
  const app = newApiRouter();
  const now = () => deps.now?.() ?? new Date();
  const shown = async (row: Campaign) => {
    const [response] = await campaignResponses(deps.db, [row], now());
    if (!response) throw new Error('a campaign shown as nothing');
    return response;
  };
  const auth = authenticate(deps);
  const read = [auth, requireRole('admin', 'advertiser'), requireScope('offers:read')];
  const write = [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')];

  app.openapi(
    listRoute({
      tags,
      summary: 'Campaigns',
      middleware: read,
      query: pageQuerySchema,
      item,
      description: 'Campaigns',
    }),
    async (c) => {
      const page = c.req.valid('query');
      const rows = await listCampaigns(deps.db, c.var.principal, page);
      const shown = await campaignResponses(deps.db, rows, now());
      return c.json({ data: shown, nextAfter: nextAfter(rows, page.limit) }, 200);
    },
  );

  app.openapi(
    getRoute({ tags, summary: 'One campaign', middleware: read, item, description: 'The campaign' }),
    async (c) =>
      c.json(await shown(await visibleCampaign(deps.db, c.var.principal, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/spend',
      tags,
      summary: "What the campaign's approved conversions have spent of its budget and daily budget",
      security: bearerSecurity,
      middleware: read,
      request: { params: idParamsSchema },
      responses: {
        200: jsonResponse(campaignSpendResponseSchema, 'Budget consumption'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const campaign = await visibleCampaign(deps.db, c.var.principal, c.req.valid('param').id);
      return c.json(await campaignSpend(deps.db, campaign, now()), 200);
    },
  );

  app.openapi(
    postRoute({
      tags,
      summary: 'Create a campaign',
      middleware: write,
      body: campaignCreateRequestSchema,
      item,
      errors: ['not_found', 'conflict', 'currency_mismatch', 'edge_unavailable'],
    }),
    async (c) => c.json(await shown(await createCampaign(deps, c.var.principal, c.req.valid('json'))), 201),
  );

  app.openapi(
    patchRoute({
      tags,
      summary: 'Change a campaign',
      middleware: write,
      body: campaignUpdateRequestSchema,
      item,
      errors: ['conflict', 'currency_mismatch', 'edge_unavailable'],
    }),
    async (c) => {
      const row = await updateCampaign(deps, c.var.principal, c.req.valid('param').id, c.req.valid('json'));
      return c.json(await shown(row), 200);
    },
  );
  return app;
}
