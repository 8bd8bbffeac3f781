import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { newApiRouter } from '../http/api-router.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import type { Mailer } from '../mail/mailer.ts';
import { changeConversions } from './conversion-changes.ts';
import { conversionResponse, listConversions, visibleConversion } from './conversion-queries.ts';
import {
  conversionChangeRequestSchema,
  conversionChangeResponseSchema,
  conversionListQuerySchema,
  conversionResponseSchema,
} from './conversion-schemas.ts';

const tags = ['conversions'];

/** /api/v1/conversions: list and filter, and change status or amounts in bulk (dry run first). */
export function conversionRoutes(deps: AuthenticateDeps & { edge: EdgePublisher; mailer: Mailer }) {
  const app = newApiRouter();
  const auth = authenticate(deps);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Conversions you may see, newest first',
      security: bearerSecurity,
      middleware: [auth, requireScope('conversions:read')],
      request: { query: conversionListQuerySchema },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(conversionResponseSchema), nextCursor: z.string().nullable() }),
          'Conversions',
        ),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const { rows, nextCursor } = await listConversions(deps.db, c.var.principal, c.req.valid('query'));
      return c.json({ data: rows.map((r) => conversionResponse(c.var.principal, r)), nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      summary: 'One conversion',
      security: bearerSecurity,
      middleware: [auth, requireScope('conversions:read')],
      request: { params: z.object({ id: z.uuid() }) },
      responses: {
        200: jsonResponse(conversionResponseSchema, 'The conversion'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const row = await visibleConversion(deps.db, c.var.principal, c.req.valid('param').id);
      return c.json(conversionResponse(c.var.principal, row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/changes',
      tags,
      summary: 'Approve, reject, reverse or adjust conversions by id or txid',
      description:
        'A dry run (the default) answers how many conversions match and would change. Send dryRun: false to apply; ' +
        'each change is logged and reports follow at once. Advertisers may adjust revenue, not payout.',
      security: bearerSecurity,
      middleware: [auth, requireRole('admin', 'advertiser'), requireScope('conversions:write')],
      request: { body: jsonBody(conversionChangeRequestSchema) },
      responses: {
        200: jsonResponse(conversionChangeResponseSchema, 'What matched and changed'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => c.json(await changeConversions(deps, c.var.principal, c.req.valid('json')), 200),
  );
  return app;
}
