import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { newApiRouter } from '../http/api-router.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../http/openapi-helpers.ts';
import { roiQuerySchema, roiReport, roiRowSchema } from './roi-report.ts';

/** /api/v1/reports/roi: revenue beside ad-platform spend per offer (and day), for advertisers and admins. */
export function roiRoutes(deps: AuthenticateDeps & { reportsDb?: AuthenticateDeps['db'] | undefined }) {
  const app = newApiRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/roi',
      tags: ['reports'],
      summary: 'Cost, ROAS and ROI beside revenue and payout',
      description:
        "Spend of ad-platform campaigns mapped to offers (synced daily figures) joined with the offers' conversions, per currency.",
      security: bearerSecurity,
      middleware: [authenticate(deps), requireRole('admin', 'advertiser'), requireScope('reports:read')],
      request: { query: roiQuerySchema },
      responses: {
        200: jsonResponse(z.object({ data: z.array(roiRowSchema) }), 'Rows by offer (and day) and currency'),
        ...errorResponses('unauthorized', 'forbidden', 'invalid_request'),
      },
    }),
    async (c) =>
      c.json(
        { data: await roiReport({ db: deps.reportsDb ?? deps.db }, c.var.principal, c.req.valid('query')) },
        200,
      ),
  );
  return app;
}
