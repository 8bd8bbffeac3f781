import { createRoute } from '@hono/zod-openapi';
import type { TopUp } from '../db/schema/top-ups.ts';
import { newApiRouter } from '../http/api-router.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import type { ProcessorDeps } from '../processors/processor-deps.ts';
import { topUpListQuerySchema, topUpPageSchema, topUpRequestSchema, topUpSchema } from './top-up-schemas.ts';
import { listTopUps, openTopUp } from './top-ups.ts';

const tags = ['billing'];

const topUpResponse = (row: TopUp) => ({
  id: row.id,
  advertiserId: row.advertiserId,
  amountMinor: row.amountMinor,
  currency: row.currency,
  status: row.status,
  checkoutUrl: row.status === 'open' ? row.checkoutUrl : null,
  createdAt: row.createdAt.toISOString(),
  settledAt: row.settledAt?.toISOString() ?? null,
  failure: row.failure,
});

/**
 * /api/v1/top-ups: prepaid advertisers add to their balance through Stripe Checkout. Opening one
 * answers the hosted page to send the payer to; the balance is credited when Stripe's webhook
 * says it was paid (billing/top-up-handlers.ts), never by this call.
 */
export function topUpRoutes(
  deps: AuthenticateDeps & { processors: ProcessorDeps; publicAppUrl?: string | undefined },
) {
  const app = newApiRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Open a top-up: a Stripe Checkout page for the amount (advertisers, or admins for one)',
      security: bearerSecurity,
      middleware: [authenticate(deps), requireRole('advertiser', 'admin'), requireScope('advertisers:write')],
      request: { body: jsonBody(topUpRequestSchema) },
      responses: {
        201: jsonResponse(topUpSchema, 'The top-up, open, with the page to pay it on'),
        ...errorResponses(
          'invalid_request',
          'unauthorized',
          'forbidden',
          'not_found',
          'processor_not_configured',
          'processor_unavailable',
        ),
      },
    }),
    async (c) => {
      const row = await openTopUp(deps, c.var.principal, c.req.valid('json'));
      return c.json(topUpResponse(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Top-ups, newest first (your own, unless you are an admin)',
      security: bearerSecurity,
      middleware: [authenticate(deps), requireRole('advertiser', 'admin'), requireScope('reports:read')],
      request: { query: topUpListQuerySchema },
      responses: {
        200: jsonResponse(topUpPageSchema, 'A page of top-ups'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const { rows, nextBefore } = await listTopUps(deps.db, c.var.principal, c.req.valid('query'));
      return c.json({ data: rows.map(topUpResponse), nextBefore }, 200);
    },
  );
  return app;
}
