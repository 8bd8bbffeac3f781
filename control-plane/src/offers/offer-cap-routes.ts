import { createRoute } from '@hono/zod-openapi';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Database } from '../db/database.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { newApiRouter } from '../http/api-router.ts';
import { idParamsSchema } from '../http/list-query.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../http/openapi-helpers.ts';
import { offerCapUsage, offerCapUsageResponseSchema } from './offer-cap-usage.ts';
import { visibleOffer } from './offer-views.ts';

/** /api/v1/offers/{id}/caps: cap limits beside the edge's live counters. */
export function offerCapRoutes(deps: {
  db: Database;
  edge: EdgePublisher;
  keys: AccessTokenKeys;
  now?: () => Date;
}) {
  const app = newApiRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/caps',
      tags: ['offers'],
      summary: "How much of the offer's caps is used today and this month (UTC)",
      description:
        'Read live from the counters the edge enforces the caps with. Affiliates see the offer-wide ' +
        'figures and their own; the advertiser and admins see every affiliate with a cap.',
      security: bearerSecurity,
      middleware: [authenticate(deps), requireScope('offers:read')],
      request: { params: idParamsSchema },
      responses: {
        200: jsonResponse(offerCapUsageResponseSchema, 'Cap usage'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'edge_unavailable'),
      },
    }),
    async (c) => {
      const offer = await visibleOffer(deps.db, c.var.principal, c.req.valid('param').id);
      return c.json(await offerCapUsage(deps, c.var.principal, offer, deps.now?.() ?? new Date()), 200);
    },
  );
  return app;
}
