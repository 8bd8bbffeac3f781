import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import { newApiRouter } from '../http/api-router.ts';
import { pageQuerySchema, pageResponseSchema } from '../http/list-query.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireSession } from '../http/middleware/require-session.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import type { IngestDeps } from './ingest-route.ts';
import { listQuarantine } from './quarantine.ts';
import { replayQuarantine } from './quarantine-replay.ts';

const quarantinedEventSchema = z
  .object({
    id: z.number().int(),
    eventId: z.string().nullable().describe("The event's id, when it had a readable one"),
    eventType: z.string().nullable(),
    reasonCode: z
      .enum(['invalid_event', 'database_refused'])
      .describe('invalid_event: fails the event schema; database_refused: the database would not store it'),
    reason: z.string(),
    body: z.string().describe('The event as received, JSON text'),
    receivedAt: z.iso.datetime(),
    replayedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'QuarantinedEvent' });

const listQuerySchema = pageQuerySchema.extend({
  includeReplayed: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Also list events replayed since'),
});

const replayRequestSchema = z
  .object({
    ids: z.array(z.number().int().min(1)).min(1).max(1000).optional().describe('These; absent: the oldest'),
    limit: z.number().int().min(1).max(1000).default(500),
  })
  .meta({ id: 'QuarantineReplayRequest' });

const replayResponseSchema = z
  .object({
    replayed: z.number().int().describe('Stored now (or found stored already), marked replayed'),
    stillQuarantined: z.array(z.object({ id: z.number().int(), reasonCode: z.string(), reason: z.string() })),
  })
  .meta({ id: 'QuarantineReplayResult' });

/**
 * /api/v1/ingest-quarantine: events the ingest could not store, each with its reason, and their
 * replay after a fix. Admins only: bodies hold visitors' addresses and user agents.
 */
export function quarantineRoutes(deps: IngestDeps & { keys: AccessTokenKeys }) {
  const app = newApiRouter();
  const guard = [authenticate(deps), requireSession, requireRole('admin')];
  const tags = ['ingest'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Quarantined events, oldest first',
      security: bearerSecurity,
      middleware: guard,
      request: { query: listQuerySchema },
      responses: {
        200: jsonResponse(pageResponseSchema(quarantinedEventSchema), 'A page of quarantined events'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await listQuarantine(deps.db, {
        after: query.after,
        limit: query.limit,
        includeReplayed: query.includeReplayed,
      });
      return c.json(
        {
          data: rows.map((row) => ({
            id: row.id,
            eventId: row.eventId,
            eventType: row.eventType,
            reasonCode: row.reasonCode as 'invalid_event' | 'database_refused',
            reason: row.reason,
            body: row.body,
            receivedAt: row.receivedAt.toISOString(),
            replayedAt: row.replayedAt?.toISOString() ?? null,
          })),
          nextAfter: rows.length === query.limit ? (rows.at(-1)?.id ?? null) : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/replay',
      tags,
      summary: 'Send quarantined events through the ingest again, after a fix',
      security: bearerSecurity,
      middleware: guard,
      request: { body: jsonBody(replayRequestSchema) },
      responses: {
        200: jsonResponse(replayResponseSchema, 'What was stored, and what still is not'),
        ...errorResponses('unauthorized', 'forbidden', 'database_unavailable'),
      },
    }),
    async (c) => c.json(await replayQuarantine(deps, c.req.valid('json')), 200),
  );
  return app;
}
