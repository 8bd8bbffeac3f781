import { createRoute } from '@hono/zod-openapi';
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { type Invoice, invoices } from '../db/schema/invoices.ts';
import { ApiError } from '../http/api-error.ts';
import { newApiRouter } from '../http/api-router.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import type { ProcessorDeps } from '../processors/processor-deps.ts';
import { runInvoicing } from './invoice-run.ts';
import {
  invoiceListQuerySchema,
  invoicePageSchema,
  invoiceParamsSchema,
  invoiceRunRequestSchema,
  invoiceRunResponseSchema,
  invoiceSchema,
} from './invoice-schemas.ts';
import { decisionView, invoiceView } from './invoice-views.ts';

const tags = ['billing'];

export type InvoiceRouteDeps = AuthenticateDeps & { processors: ProcessorDeps; now?: () => Date };

/** The advertiser a principal is limited to; null for admins. */
const advertiserScope = (principal: Principal): number | null =>
  principal.role === 'admin' ? null : (principal.advertiserId ?? -1);

/** Invoices as the API shows them, with their advertisers' names (one query for the page). */
async function views(db: Database, rows: Invoice[], principal: Principal) {
  const ids = [...new Set(rows.map((r) => r.advertiserId))];
  const names = new Map(
    ids.length === 0
      ? []
      : (
          await db
            .select({ id: advertisers.id, name: advertisers.companyName })
            .from(advertisers)
            .where(inArray(advertisers.id, ids))
        ).map((a) => [a.id, a.name]),
  );
  return rows.map((r) =>
    invoiceView(r, names.get(r.advertiserId) ?? `Advertiser ${r.advertiserId}`, {
      admin: principal.role === 'admin',
    }),
  );
}

/**
 * /api/v1/invoices: postpaid advertisers' invoices through Stripe Invoicing (decision 025). An
 * advertiser sees its own, admins all; admins run invoicing now (a dry run first, the default).
 */
export function invoiceRoutes(deps: InvoiceRouteDeps) {
  const app = newApiRouter();
  const read = [authenticate(deps), requireRole('admin', 'advertiser'), requireScope('reports:read')];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Invoices, newest first (your own, unless you are an admin)',
      security: bearerSecurity,
      middleware: read,
      request: { query: invoiceListQuerySchema },
      responses: {
        200: jsonResponse(invoicePageSchema, 'A page of invoices'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = advertiserScope(c.var.principal);
      const rows = await deps.db
        .select()
        .from(invoices)
        .where(
          and(
            scope === null ? undefined : eq(invoices.advertiserId, scope),
            q.advertiserId !== undefined ? eq(invoices.advertiserId, q.advertiserId) : undefined,
            q.status ? eq(invoices.status, q.status) : undefined,
            q.currency ? eq(invoices.currency, q.currency) : undefined,
            q.after ? lt(invoices.id, q.after) : undefined,
          ),
        )
        .orderBy(desc(invoices.id))
        .limit(q.limit);
      return c.json(
        {
          data: await views(deps.db, rows, c.var.principal),
          nextAfter: rows.length === q.limit ? (rows.at(-1)?.id ?? null) : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/run',
      tags,
      summary:
        'Invoice the postpaid advertisers whose period has ended now, or (dryRun, the default) list who would be',
      description:
        'Each postpaid advertiser is invoiced per currency for its last ended period (UTC month, or week from ' +
        'Monday) without an invoice: its approved conversions net of reversals, per offer, less what its ' +
        'balance already covers, through Stripe Invoicing with its net terms. The invoice is recorded under ' +
        'its key before Stripe is called with keys derived from it, so running again after a failure finishes ' +
        'what was started and creates nothing twice. The control plane runs this every hour by itself.',
      security: bearerSecurity,
      middleware: [authenticate(deps), requireRole('admin'), requireScope('advertisers:write')],
      request: { body: jsonBody(invoiceRunRequestSchema) },
      responses: {
        200: jsonResponse(invoiceRunResponseSchema, 'What was (or would be) invoiced, and what Stripe did'),
        ...errorResponses('unauthorized', 'forbidden', 'processor_not_configured'),
      },
    }),
    async (c) => {
      const request = c.req.valid('json');
      const result = await runInvoicing(
        { db: deps.db, processors: deps.processors, now: deps.now },
        { dryRun: request.dryRun, advertiserId: request.advertiserId },
      );
      const issued = await views(
        deps.db,
        result.issued.map((r) => r.invoice),
        c.var.principal,
      );
      return c.json(
        {
          dryRun: result.dryRun,
          decisions: result.decisions.map(decisionView),
          issued: result.issued.map((r, i) => ({
            invoice: issued[i]!,
            failure: r.failure ? `${r.failure.kind}: ${r.failure.message}` : null,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      summary: 'An invoice',
      security: bearerSecurity,
      middleware: read,
      request: { params: invoiceParamsSchema },
      responses: {
        200: jsonResponse(invoiceSchema, 'The invoice'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const scope = advertiserScope(c.var.principal);
      const [row] = await deps.db
        .select()
        .from(invoices)
        .where(
          and(
            eq(invoices.id, c.req.valid('param').id),
            scope === null ? undefined : eq(invoices.advertiserId, scope),
          ),
        );
      // Another advertiser's invoice is as absent as one that does not exist.
      if (!row) throw new ApiError('not_found', 'No such invoice.');
      const [view] = await views(deps.db, [row], c.var.principal);
      return c.json(view!, 200);
    },
  );
  return app;
}
