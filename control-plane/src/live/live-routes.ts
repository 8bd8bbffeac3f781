import { createRoute } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Database } from '../db/database.ts';
import { newApiRouter } from '../http/api-router.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses } from '../http/openapi-helpers.ts';
import { LiveCursor, readLiveEvents } from './live-feed.ts';

const HEARTBEAT_MS = 15_000;

/** /api/v1/live: Server-Sent Events of clicks and conversions as they are stored. */
export function liveRoutes(deps: {
  db: Database;
  keys: AccessTokenKeys;
  livePollMs?: number;
  now?: () => Date;
}) {
  const app = newApiRouter();
  const pollMs = deps.livePollMs ?? 2_000;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['reports'],
      summary: 'Live feed (text/event-stream) of clicks and conversions you may see',
      description:
        'Events `click` and `conversion` with JSON data, each with its id. Starts from now, or from `since` ' +
        '(at most one hour back). The feed is for watching traffic; the conversions API is the record.',
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
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const now = deps.now?.() ?? new Date();
      const requested = c.req.valid('query').since;
      const earliest = now.getTime() - 3_600_000;
      const since = new Date(Math.max(requested ? Date.parse(requested) : now.getTime(), earliest));
      const principal = c.var.principal;
      return streamSSE(c, async (stream) => {
        const cursor = new LiveCursor(since);
        let lastWrite = Date.now();
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ since: since.toISOString() }) });
        while (!stream.aborted) {
          const events = cursor.fresh(await readLiveEvents(deps.db, principal, cursor.readFrom()));
          for (const event of events) {
            await stream.writeSSE({ event: event.type, id: event.id, data: JSON.stringify(event.data) });
          }
          if (events.length) lastWrite = Date.now();
          else if (Date.now() - lastWrite > HEARTBEAT_MS) {
            // A comment line keeps proxies from closing an idle connection.
            await stream.write(': heartbeat\n\n');
            lastWrite = Date.now();
          }
          await stream.sleep(pollMs);
        }
      });
    },
  );
  return app;
}
