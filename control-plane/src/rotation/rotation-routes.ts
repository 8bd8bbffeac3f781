import { createRoute } from '@hono/zod-openapi';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { newApiRouter } from '../http/api-router.ts';
import { idParamsSchema } from '../http/list-query.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import { visibleOffer } from '../offers/offer-views.ts';
import { abReport, abReportQuerySchema, abReportResponseSchema } from './ab-report.ts';
import { rotationLog, rotationLogQuerySchema, rotationLogResponseSchema } from './rotation-log.ts';
import {
  rotationSettingsOf,
  rotationSettingsRequestSchema,
  rotationSettingsResponse,
  rotationSettingsResponseSchema,
  setRotationSettings,
} from './rotation-settings.ts';

const tags = ['offers'];

/**
 * /api/v1/offers/{id}/rotation, /rotation/log and /ab-report: how an offer's landing pages and
 * creatives share traffic, what the bandit changed and why, and how each performs. The offer's
 * advertiser and admins only: affiliates are refused before anything is looked up, so they learn
 * nothing of an offer's tests (nor whether the offer exists).
 */
export function rotationRoutes(deps: AuthenticateDeps & { edge: EdgePublisher }) {
  const app = newApiRouter();
  const auth = authenticate(deps);
  const read = [auth, requireRole('admin', 'advertiser'), requireScope('offers:read')];
  const write = [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')];
  const now = () => deps.now?.() ?? new Date();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/rotation',
      tags,
      summary: "The offer's rotation settings (manual weights or the bandit)",
      security: bearerSecurity,
      middleware: read,
      request: { params: idParamsSchema },
      responses: {
        200: jsonResponse(rotationSettingsResponseSchema, 'Rotation settings'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const offer = await visibleOffer(deps.db, c.var.principal, c.req.valid('param').id);
      return c.json(rotationSettingsResponse(offer.id, await rotationSettingsOf(deps.db, offer.id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/{id}/rotation',
      tags,
      summary: "Set the offer's rotation; published to the edge at once",
      description:
        'In bandit mode the edge rotates by learned weights once the bandit has enough clicks; the ' +
        "advertiser's own landing page weights are kept and come back in manual mode.",
      security: bearerSecurity,
      middleware: write,
      request: { params: idParamsSchema, body: jsonBody(rotationSettingsRequestSchema) },
      responses: {
        200: jsonResponse(rotationSettingsResponseSchema, 'Rotation settings'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'edge_unavailable'),
      },
    }),
    async (c) => {
      const offer = await visibleOffer(deps.db, c.var.principal, c.req.valid('param').id);
      const settings = await setRotationSettings(deps, offer, c.req.valid('json'));
      return c.json(rotationSettingsResponse(offer.id, settings), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/rotation/log',
      tags,
      summary: 'Every weight change the bandit made, newest first, with its evidence',
      security: bearerSecurity,
      middleware: read,
      request: { params: idParamsSchema, query: rotationLogQuerySchema },
      responses: {
        200: jsonResponse(rotationLogResponseSchema, 'Weight changes'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const offer = await visibleOffer(deps.db, c.var.principal, c.req.valid('param').id);
      return c.json(await rotationLog(deps.db, offer.id, c.req.valid('query')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/ab-report',
      tags,
      summary: 'A/B report of the landing pages and creatives, with a recommendation per group',
      description:
        'Clean clicks of the days asked (UTC, default the decay window) and the conversions of those ' +
        'clicks; CR with a 95% Wilson interval; probability of being best by Thompson sampling.',
      security: bearerSecurity,
      middleware: read,
      request: { params: idParamsSchema, query: abReportQuerySchema },
      responses: {
        200: jsonResponse(abReportResponseSchema, 'A/B report'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const offer = await visibleOffer(deps.db, c.var.principal, c.req.valid('param').id);
      return c.json(await abReport(deps.db, c.var.principal, offer, c.req.valid('query'), now()), 200);
    },
  );
  return app;
}
