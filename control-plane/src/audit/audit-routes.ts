import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Database } from '../db/database.ts';
import { newApiRouter } from '../http/api-router.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses } from '../http/openapi-helpers.ts';
import { auditCsvStream } from './audit-csv.ts';
import {
  allAuditEvents,
  auditEventResponseSchema,
  auditQuerySchema,
  listAuditEvents,
} from './audit-queries.ts';

/** /api/v1/audit-events: the audit log, for admins (API keys with audit:read). */
export function auditRoutes(deps: { db: Database; keys: AccessTokenKeys; now?: () => Date }) {
  const app = newApiRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['audit'],
      summary: 'Security-relevant actions, newest first (admins)',
      description:
        'Logins (succeeded and failed), API keys created and revoked, users created, disabled, enabled ' +
        'and signed out everywhere, password changes and resets, payment detail and payout method ' +
        'changes, data subject requests. Filter by action, actor and time; page with `cursor`. ' +
        '`format=csv` answers every matching event as CSV (detail as JSON). Details never hold secrets.',
      security: bearerSecurity,
      middleware: [authenticate(deps), requireRole('admin'), requireScope('audit:read')],
      request: { query: auditQuerySchema },
      responses: {
        200: {
          description: 'Events',
          content: {
            'application/json': {
              schema: z.object({
                data: z.array(auditEventResponseSchema),
                nextCursor: z.string().nullable(),
              }),
            },
            'text/csv': { schema: z.string() },
          },
        },
        ...errorResponses('unauthorized', 'forbidden', 'invalid_request'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      if (query.format === 'json') {
        const page = await listAuditEvents(deps.db, query);
        return c.json({ data: page.rows, nextCursor: page.nextCursor }, 200);
      }
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', 'attachment; filename="audit-events.csv"');
      return c.body(auditCsvStream(allAuditEvents(deps.db, query)), 200);
    },
  );
  return app;
}
