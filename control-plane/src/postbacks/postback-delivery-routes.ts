import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { newApiRouter } from '../http/api-router.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import { bulkReplay, bulkReplayRequestSchema, bulkReplayResponseSchema } from './postback-bulk-replay.ts';
import { postbackAttemptResponse, postbackAttemptResponseSchema } from './postback-config-service.ts';
import {
  deliveryAttempts,
  deliveryIdParamsSchema,
  deliveryListQuerySchema,
  listDeliveries,
  postbackDeliveryResponse,
  postbackDeliveryResponseSchema,
  visibleDelivery,
} from './postback-delivery-service.ts';
import { replayDelivery } from './postback-outbox.ts';

import { type PostbackRouteDeps, postbackGuards } from './postback-route-guards.ts';

const tags = ['postbacks'];

/** /api/v1/postback-deliveries: the postbacks owed for conversions, their attempts, and replays. */
export function postbackDeliveryRoutes(deps: PostbackRouteDeps) {
  const app = newApiRouter();
  const { read, write } = postbackGuards(deps);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Postback deliveries, newest first (an affiliate sees its own)',
      security: bearerSecurity,
      middleware: read,
      request: { query: deliveryListQuerySchema },
      responses: {
        200: jsonResponse(
          z.object({
            data: z.array(postbackDeliveryResponseSchema),
            nextBefore: z.iso.datetime().nullable(),
          }),
          'Deliveries',
        ),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await listDeliveries(deps.db, c.var.principal, query);
      const last = rows.length === query.limit ? rows.at(-1) : undefined;
      return c.json(
        { data: rows.map(postbackDeliveryResponse), nextBefore: last?.createdAt.toISOString() ?? null },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/attempts',
      tags,
      summary: "A delivery's attempts (url, status, latency, body excerpt), newest first",
      security: bearerSecurity,
      middleware: read,
      request: { params: deliveryIdParamsSchema },
      responses: {
        200: jsonResponse(z.object({ data: z.array(postbackAttemptResponseSchema) }), 'Attempts'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const delivery = await visibleDelivery(deps.db, c.var.principal, c.req.valid('param').id);
      const rows = await deliveryAttempts(deps.db, delivery.id);
      return c.json({ data: rows.map(postbackAttemptResponse) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/replay',
      tags,
      summary: 'Queue many deliveries again (failed, parked or delivered), by filter',
      description:
        'A dry run by default: answers how many would be queued. With dryRun false, each is queued ' +
        'due now with its attempts reset, and the worker sends it with the usual retries. At most ' +
        '`limit` per call, oldest first; moreMatched says when more matched. Deliveries of a config ' +
        'that is off are not queued (inactiveConfigs counts them), nor are those whose conversion no longer ' +
        'has the status that fired them (skippedStatusChanged counts them; applied, the unsent ones are ' +
        'cancelled). Only admins may include delivered ' +
        'ones; an affiliate may apply one bulk replay a minute (dry runs are not limited).',
      security: bearerSecurity,
      middleware: write,
      request: { body: jsonBody(bulkReplayRequestSchema) },
      responses: {
        200: jsonResponse(bulkReplayResponseSchema, 'How many were (or would be) queued'),
        ...errorResponses('unauthorized', 'forbidden', 'rate_limited'),
      },
    }),
    async (c) => {
      const now = deps.now?.() ?? new Date();
      return c.json(await bulkReplay(deps.db, c.var.principal, c.req.valid('json'), now), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/replay',
      tags,
      summary: 'Send a delivery again now, whatever its state, and report the answer',
      description:
        'Works on disabled, failed and cancelled deliveries too; a success marks the delivery delivered. ' +
        'The attempt is logged with kind replay. A delivery whose conversion no longer has the status ' +
        'that fired it (an approved postback of a conversion rejected since) is not sent: 409 ' +
        'conversion_status_changed, and one not sent yet is cancelled.',
      security: bearerSecurity,
      middleware: write,
      request: { params: deliveryIdParamsSchema },
      responses: {
        200: jsonResponse(postbackAttemptResponseSchema, 'What the endpoint answered (ok false on failure)'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'conversion_status_changed'),
      },
    }),
    async (c) => {
      const delivery = await visibleDelivery(deps.db, c.var.principal, c.req.valid('param').id);
      const attempt = await replayDelivery(deps, delivery, deps.now?.());
      return c.json(postbackAttemptResponse(attempt), 200);
    },
  );

  return app;
}
