import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { advertisers } from '../db/schema/advertisers.ts';
import { ApiError } from '../http/api-error.ts';
import { newApiRouter } from '../http/api-router.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses } from '../http/openapi-helpers.ts';
import { renderStatementHtml } from '../statements/statement-html.ts';
import { renderStatementPdf } from '../statements/statement-pdf.ts';
import { advertiserStatement } from './advertiser-statement.ts';
import { periodNamed } from './invoice-periods.ts';
import { statementParamsSchema, statementQuerySchema } from './invoice-schemas.ts';

/**
 * /api/v1/advertisers/{id}/statements: an advertiser's statement of a period (a UTC month or ISO
 * week) in one currency, as HTML or PDF, from the ledger (decision 025). An advertiser gets its
 * own (another's is 404), admins any; affiliates none.
 */
export function advertiserStatementRoutes(deps: AuthenticateDeps & { now?: () => Date }) {
  const app = newApiRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/statements',
      tags: ['billing'],
      summary: "An advertiser's statement of a period: opening balance, movements, closing balance, invoices",
      description:
        'From the posted ledger in the currency asked for: the opening balance, conversions charged and ' +
        'reversed per offer and day, top-ups, invoice payments, the closing balance, and the invoices whose ' +
        'period overlaps it with their status. Balances read credit-positive (negative: owed); UTC.',
      security: bearerSecurity,
      middleware: [authenticate(deps), requireRole('admin', 'advertiser'), requireScope('reports:read')],
      request: { params: statementParamsSchema, query: statementQuerySchema },
      responses: {
        200: {
          description: 'The statement',
          content: { 'text/html': { schema: z.string() }, 'application/pdf': { schema: z.string() } },
        },
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      const principal = c.var.principal;
      if (principal.role !== 'admin' && principal.advertiserId !== id)
        throw new ApiError('not_found', 'No such advertiser.');
      const [advertiser] = await deps.db
        .select({ id: advertisers.id })
        .from(advertisers)
        .where(eq(advertisers.id, id));
      if (!advertiser) throw new ApiError('not_found', 'No such advertiser.');
      const period = periodNamed(query.period);
      if (!period)
        throw new ApiError('invalid_request', `Invalid query: period: no such period ${query.period}.`);
      const statement = await advertiserStatement(deps.db, {
        advertiserId: id,
        currency: query.currency,
        period,
        issuedAt: deps.now?.(),
      });
      const name = `statement-${period.name}-advertiser-${id}-${query.currency}`;
      if (query.format === 'pdf') {
        c.header('content-type', 'application/pdf');
        c.header('content-disposition', `inline; filename="${name}.pdf"`);
        return c.body(new Uint8Array(await renderStatementPdf(statement)), 200);
      }
      c.header('content-type', 'text/html; charset=utf-8');
      return c.body(renderStatementHtml(statement), 200);
    },
  );
  return app;
}
