import { createRoute } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Database } from '../db/database.ts';
import { newApiRouter } from '../http/api-router.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses } from '../http/openapi-helpers.ts';
import { csvLine } from './csv.ts';
import { reportColumns, runReport } from './report-query.ts';
import { reportQuerySchema, reportRowSchema } from './report-schemas.ts';

const CSV_CHUNK_ROWS = 1000;

/** /api/v1/reports: clicks, conversions and money by period and dimensions, as JSON or CSV. */
export function reportRoutes(deps: { db: Database; keys: AccessTokenKeys; now?: () => Date }) {
  const app = newApiRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['reports'],
      summary:
        'Report by day or hour and any of offer, affiliate, advertiser, sub1-5, country, device, creative',
      description:
        'Periods are local to `timezone`. Money is in integer minor units of `currency` (rows never mix ' +
        'currencies); cr and epcMinor are ratios. Affiliates see their own traffic and payout, advertisers ' +
        'their offers and revenue, admins everything with profit. `format=csv` streams the same rows as CSV.',
      security: bearerSecurity,
      middleware: [authenticate(deps), requireScope('reports:read')],
      request: { query: reportQuerySchema },
      responses: {
        200: {
          description: 'Rows',
          content: {
            'application/json': { schema: z.object({ data: z.array(reportRowSchema) }) },
            'text/csv': { schema: z.string() },
          },
        },
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await runReport(deps.db, c.var.principal, query);
      if (query.format === 'json') return c.json({ data: rows }, 200);
      const columns = reportColumns(c.var.principal, query);
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="report-${query.from}-${query.to}.csv"`);
      // Written in chunks as it is formatted, so a large report does not sit in memory as one string.
      return stream(c, async (out) => {
        await out.write(csvLine(columns));
        for (let i = 0; i < rows.length; i += CSV_CHUNK_ROWS) {
          const chunk = rows.slice(i, i + CSV_CHUNK_ROWS).map((row) => csvLine(columns.map((k) => row[k])));
          await out.write(chunk.join(''));
        }
      });
    },
  );
  return app;
}
