import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Database } from '../db/database.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { newApiRouter } from '../http/api-router.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireSession } from '../http/middleware/require-session.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../http/openapi-helpers.ts';
import { systemStatus } from './system-status.ts';

const statusQuerySchema = z.object({
  minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(60)
    .default(15)
    .describe('How many minutes back the ingest figures reach (1-60), the current one included'),
});

const instant = z.iso.datetime();

export const systemStatusResponseSchema = z
  .object({
    generatedAt: instant,
    windowMinutes: z.number().int(),
    ingest: z
      .object({
        clicks: z.number().int().describe('Clicks received in the window'),
        conversions: z.number().int().describe('Conversions received in the window'),
        perMinute: z
          .array(z.object({ minute: instant, clicks: z.number().int(), conversions: z.number().int() }))
          .describe('Every minute of the window, oldest first, zero when nothing arrived'),
        lastReceivedAt: instant
          .nullable()
          .describe('When the ingest last stored an event (up to a week back)'),
      })
      .describe('Events the ingest stored, by when they were received'),
    lag: z
      .object({
        samples: z.number().int(),
        p50Seconds: z.number().nullable(),
        p95Seconds: z.number().nullable(),
        maxSeconds: z.number().nullable(),
      })
      .describe(
        'How late events of the window were stored: stored minus happened at the edge (the queue ' +
          'and the ingest). From a histogram: p50 and p95 are the upper bound of the bucket the ' +
          'percentile falls in (buckets 0.5, 1, 2, 3, 5, 10, 15, 30, 60 s ... 1 day), never above ' +
          'the largest lag, which is exact; null without events',
      ),
    postbacks: z
      .object({
        pending: z.number().int().describe('Deliveries waiting for a (first or next) attempt'),
        dueNow: z.number().int().describe('Pending deliveries whose attempt time has come'),
        failed: z.number().int().describe('Given up after their attempts (a replay can still send them)'),
        disabled: z.number().int().describe('Parked because their postback configuration is disabled'),
        oldestDueAt: instant.nullable().describe('The earliest attempt time of a pending delivery'),
      })
      .describe('The postback outbox'),
    quarantine: z
      .object({
        waiting: z.number().int().describe('Quarantined events not replayed yet'),
        oldestReceivedAt: instant.nullable(),
      })
      .describe('Events the ingest could not store (GET /api/v1/ingest-quarantine)'),
  })
  .describe('Operational figures of the network, computed when asked')
  .meta({ id: 'SystemStatus' });

export const deadLetterCountResponseSchema = z
  .object({ stored: z.number().int().describe("Events waiting in the edge's dead-letter store") })
  .meta({ id: 'DeadLetterCount' });

export const deadLetterReplayResponseSchema = z
  .object({
    replayed: z.number().int().describe('Letters the control plane stored now'),
    failed: z
      .array(z.object({ messageId: z.string(), failure: z.string() }))
      .describe('Letters that failed again, each with the answer; they stay in the store, behind the others'),
    remaining: z.number().int().describe('Letters still in the store: replay again for more'),
  })
  .describe('One replay call: up to 200 letters, in requests within the ingest limits')
  .meta({ id: 'DeadLetterReplayResult' });

/**
 * /api/v1/system: what an operator watches (ingest rate and lag, the postback outbox, the
 * quarantine) and the edge's dead-letter store, which the control plane reaches through the
 * edge's signed operator endpoints. Admins in a session only.
 */
export function systemRoutes(deps: {
  db: Database;
  edge: EdgePublisher;
  keys: AccessTokenKeys;
  now?: () => Date;
}) {
  const app = newApiRouter();
  const guard = [authenticate(deps), requireSession, requireRole('admin')];
  const tags = ['system'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/status',
      tags,
      summary: 'Ingest rate and lag, postback outbox backlog and quarantined events',
      security: bearerSecurity,
      middleware: guard,
      request: { query: statusQuerySchema },
      responses: {
        200: jsonResponse(systemStatusResponseSchema, 'The figures'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const now = (deps.now ?? (() => new Date()))();
      return c.json(await systemStatus(deps.db, { now, windowMinutes: c.req.valid('query').minutes }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/dead-letters',
      tags,
      summary: "How many events wait in the edge's dead-letter store",
      description:
        'Events whose batches failed through all of their queue retries. Nothing is dropped: ' +
        'they wait at the edge until replayed.',
      security: bearerSecurity,
      middleware: guard,
      responses: {
        200: jsonResponse(deadLetterCountResponseSchema, 'The count'),
        ...errorResponses('unauthorized', 'forbidden', 'edge_unavailable'),
      },
    }),
    async (c) => c.json({ stored: await deps.edge.deadLetterCount() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/dead-letters/replay',
      tags,
      summary: 'Send the oldest dead letters (up to 200) to the ingest again',
      description:
        'Safe at any time: the ingest is idempotent by event id. A letter that fails again is ' +
        'named with the answer and moved behind the others; call again while `remaining` is above 0.',
      security: bearerSecurity,
      middleware: guard,
      responses: {
        200: jsonResponse(deadLetterReplayResponseSchema, 'What went through and what did not'),
        ...errorResponses('unauthorized', 'forbidden', 'edge_unavailable'),
      },
    }),
    async (c) => c.json(await deps.edge.replayDeadLetters(), 200),
  );
  return app;
}
