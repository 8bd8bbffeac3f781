import { createRoute } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Database } from '../db/database.ts';
import { newApiRouter } from '../http/api-router.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses } from '../http/openapi-helpers.ts';
import { LIVE_RECHECK_MS, runLiveFeed } from './live-stream.ts';
import { LIVE_STREAM_LIMITS, type LiveStreamLimits, liveStreamSlots } from './live-stream-slots.ts';

/** /api/v1/live: Server-Sent Events of clicks and conversions as they are stored. */
export function liveRoutes(deps: {
  db: Database;
  keys: AccessTokenKeys;
  livePollMs?: number;
  /** How often an open feed re-checks its credential (default 20 s). */
  liveRecheckMs?: number;
  liveLimits?: LiveStreamLimits;
  now?: () => Date;
}) {
  const app = newApiRouter();
  const pollMs = deps.livePollMs ?? 2_000;
  const recheckMs = deps.liveRecheckMs ?? LIVE_RECHECK_MS;
  const slots = liveStreamSlots(deps.liveLimits ?? LIVE_STREAM_LIMITS);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['reports'],
      summary: 'Live feed (text/event-stream) of clicks and conversions you may see',
      description:
        'Events `click` and `conversion` with JSON data, each with its id. Starts from now, or from `since` ' +
        '(at most one hour back). The feed is for watching traffic; the conversions API is the record. ' +
        'An open feed re-checks its credential every 20 s: once the session is logged out, the API key ' +
        'revoked, the user disabled or its company suspended, it sends `end` with a reason ' +
        '(`unauthorized` or `account_suspended`) and closes. At most 3 feeds per user and 50 in all are ' +
        'open at once; beyond, 429 rate_limited with Retry-After.',
      security: bearerSecurity,
      middleware: [authenticate(deps), requireScope('reports:read')],
      request: {
        query: z.object({
          since: z.iso
            .datetime({ offset: true })
            .optional()
            .describe('Replay events received after this time'),
        }),
      },
      responses: {
        200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } },
        ...errorResponses('unauthorized', 'forbidden', 'rate_limited'),
      },
    }),
    async (c) => {
      const now = deps.now?.() ?? new Date();
      const requested = c.req.valid('query').since;
      const earliest = now.getTime() - 3_600_000;
      const since = new Date(Math.max(requested ? Date.parse(requested) : now.getTime(), earliest));
      const principal = c.var.principal;
      const release = slots.acquire(principal);
      return streamSSE(c, async (stream) => {
        try {
          await runLiveFeed(stream, { db: deps.db, principal, since, pollMs, recheckMs, now: deps.now });
        } finally {
          release();
        }
      });
    },
  );
  return app;
}
