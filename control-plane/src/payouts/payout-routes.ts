import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Principal } from '../auth/principal.ts';
import { payouts } from '../db/schema/payouts.ts';
import { ApiError } from '../http/api-error.ts';
import { newApiRouter } from '../http/api-router.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../http/openapi-helpers.ts';
import { renderStatementHtml } from '../statements/statement-html.ts';
import { renderStatementPdf } from '../statements/statement-pdf.ts';
import type { PayoutRouteDeps } from './payout-run-routes.ts';
import { payoutQuerySchema, payoutSchema, uuidPageSchema, uuidParamsSchema } from './payout-schemas.ts';
import { settlePayoutNow } from './payout-settlement.ts';
import { payoutStatement } from './payout-statement.ts';
import { payoutView } from './payout-views.ts';

const tags = ['payouts'];

/** The affiliate a principal is limited to; null for admins. Advertisers see no payouts. */
function affiliateScope(principal: Principal): number | null {
  if (principal.role === 'admin') return null;
  return principal.affiliateId ?? -1;
}

/**
 * /api/v1/payouts: payouts and their statements (an affiliate its own, admins all, advertisers
 * none), and marking a bank transfer paid (admins).
 */
export function payoutRoutes(deps: PayoutRouteDeps) {
  const app = newApiRouter();
  const read = [authenticate(deps), requireRole('admin', 'affiliate'), requireScope('reports:read')];

  const findVisible = async (principal: Principal, id: string) => {
    const scope = affiliateScope(principal);
    const [payout] = await deps.db
      .select()
      .from(payouts)
      .where(and(eq(payouts.id, id), scope === null ? undefined : eq(payouts.affiliateId, scope)));
    // Another affiliate's payout is as absent as one that does not exist.
    if (!payout) throw new ApiError('not_found', 'No such payout.');
    return payout;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Payouts, newest first (yours, unless you are an admin)',
      security: bearerSecurity,
      middleware: read,
      request: { query: payoutQuerySchema },
      responses: {
        200: jsonResponse(uuidPageSchema(payoutSchema), 'A page of payouts'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = affiliateScope(c.var.principal);
      const rows = await deps.db
        .select()
        .from(payouts)
        .where(
          and(
            scope === null ? undefined : eq(payouts.affiliateId, scope),
            q.affiliateId !== undefined ? eq(payouts.affiliateId, q.affiliateId) : undefined,
            q.runId ? eq(payouts.runId, q.runId) : undefined,
            q.status ? eq(payouts.status, q.status) : undefined,
            q.after ? lt(payouts.id, q.after) : undefined,
          ),
        )
        .orderBy(desc(payouts.id))
        .limit(q.limit);
      return c.json(
        { data: rows.map(payoutView), nextAfter: rows.length === q.limit ? (rows.at(-1)?.id ?? null) : null },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      summary: 'A payout',
      security: bearerSecurity,
      middleware: read,
      request: { params: uuidParamsSchema },
      responses: {
        200: jsonResponse(payoutSchema, 'The payout'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => c.json(payoutView(await findVisible(c.var.principal, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/mark-paid',
      tags,
      summary: 'Mark a bank transfer paid once the bank has sent it (admins)',
      description:
        'Posts payouts_in_transit -> processor_cash (bank) under payout:{id}:paid; a second call changes nothing.',
      security: bearerSecurity,
      middleware: [authenticate(deps), requireRole('admin'), requireScope('affiliates:write')],
      request: { params: uuidParamsSchema },
      responses: {
        200: jsonResponse(payoutSchema, 'The payout, paid'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'conflict'),
      },
    }),
    async (c) => {
      const payout = await findVisible(c.var.principal, c.req.valid('param').id);
      if (payout.method !== 'bank_transfer')
        throw new ApiError(
          'conflict',
          'Only bank transfers are marked paid by hand; processors report the others.',
        );
      if (payout.status !== 'sent' && payout.status !== 'paid')
        throw new ApiError('conflict', `The payout is ${payout.status}, not sent.`);
      const settled = await settlePayoutNow(deps.db, payout.id, { kind: 'paid' }, deps.now?.());
      return c.json(payoutView(settled?.payout ?? payout), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/statement.html',
      tags,
      summary: "The payout's statement as HTML: the conversions and reversals it covers, per offer and day",
      security: bearerSecurity,
      middleware: read,
      request: { params: uuidParamsSchema },
      responses: {
        200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } },
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const payout = await findVisible(c.var.principal, c.req.valid('param').id);
      const html = renderStatementHtml(await payoutStatement(deps.db, payout, { issuedAt: deps.now?.() }));
      c.header('content-type', 'text/html; charset=utf-8');
      return c.body(html, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/statement.pdf',
      tags,
      summary: "The payout's statement as PDF (the same figures as the HTML)",
      security: bearerSecurity,
      middleware: read,
      request: { params: uuidParamsSchema },
      responses: {
        200: { description: 'PDF', content: { 'application/pdf': { schema: z.string() } } },
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const payout = await findVisible(c.var.principal, c.req.valid('param').id);
      const pdf = await renderStatementPdf(
        await payoutStatement(deps.db, payout, { issuedAt: deps.now?.() }),
      );
      c.header('content-type', 'application/pdf');
      c.header('content-disposition', `inline; filename="payout-${payout.id}.pdf"`);
      return c.body(new Uint8Array(pdf), 200);
    },
  );
  return app;
}
