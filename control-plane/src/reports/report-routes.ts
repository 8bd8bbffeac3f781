import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Database } from '../db/database.ts';
import { newApiRouter } from '../http/api-router.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses } from '../http/openapi-helpers.ts';
import { CSV_EXPORT_LIMITS, type CsvExportLimits, csvExportSlots } from './csv-export-slots.ts';
import { reportCsv } from './report-csv.ts';
import { runReport } from './report-query.ts';
import { reportQuerySchema, reportRowSchema } from './report-schemas.ts';

/**
 * /api/v1/reports: clicks, conversions and money by period and dimensions, as JSON or CSV.
 * `csvExports` overrides the limits on CSV exports (`CSV_EXPORT_LIMITS`); they are counted per
 * instance of these routes, i.e. per app.
 */
export function reportRoutes(deps: {
  db: Database;
  keys: AccessTokenKeys;
  now?: () => Date;
  csvExports?: Partial<CsvExportLimits>;
  /** Where reports read (a read replica); the slots are written to `db`. */
  reportsDb?: Database | undefined;
}) {
  const reading = deps.reportsDb ?? deps.db;
  const app = newApiRouter();
  const limits = { ...CSV_EXPORT_LIMITS, ...deps.csvExports };
  const slots = csvExportSlots(deps.db, limits);

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
        'their offers and revenue, admins everything with profit. JSON answers at most 200,000 rows. ' +
        '`format=csv` streams the same rows, in the same order, as CSV with a header line and no row ' +
        'limit, read from the database while they are sent; an error after the first rows breaks the ' +
        'download off instead of ending it, so a CSV that ends normally is complete. CSV exports are ' +
        'limited: one at a time per user and a few at once in all (else 429 rate_limited with ' +
        'Retry-After), and 10 minutes each (then the download is broken off).',
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
        ...errorResponses('unauthorized', 'forbidden', 'rate_limited'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      if (query.format === 'json')
        return c.json({ data: await runReport(reading, c.var.principal, query) }, 200);
      // Before any transaction: a refused export takes nothing from the pool.
      const release = await slots.acquire(c.var.principal);
      let body: ReadableStream<Uint8Array>;
      try {
        body = await reportCsv(reading, c.var.principal, query, {
          maxDurationMs: limits.maxDurationMs,
          onEnd: release,
        });
      } catch (error) {
        release();
        throw error;
      }
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="report-${query.from}-${query.to}.csv"`);
      return c.body(body, 200);
    },
  );
  return app;
}
