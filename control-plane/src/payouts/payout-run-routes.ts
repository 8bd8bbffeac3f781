import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, lt } from 'drizzle-orm';
import type { PaymentDetailsCipher } from '../crypto/payment-details-cipher.ts';
import { payoutRuns } from '../db/schema/payouts.ts';
import { ApiError } from '../http/api-error.ts';
import { newApiRouter } from '../http/api-router.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import type { ProcessorDeps } from '../processors/processor-deps.ts';
import { bankTransfersCsv } from './bank-transfer-csv.ts';
import { continueRun, dryRun, startRun } from './payout-run.ts';
import {
  payoutRunRequestSchema,
  payoutRunResponseSchema,
  payoutRunSchema,
  uuidPageQuerySchema,
  uuidPageSchema,
  uuidParamsSchema,
} from './payout-schemas.ts';
import { decisionView, runView } from './payout-views.ts';

const tags = ['payouts'];

export type PayoutRouteDeps = AuthenticateDeps & {
  processors: ProcessorDeps;
  paymentCipher: PaymentDetailsCipher;
  now?: () => Date;
};

/**
 * /api/v1/payout-runs, for admins: a dry run listing who would be paid what (the default), an
 * applied run that pays, the runs, resuming an interrupted one, and its bank transfers as CSV.
 */
export function payoutRunRoutes(deps: PayoutRouteDeps) {
  const app = newApiRouter();
  const admin = [authenticate(deps), requireRole('admin')];
  const runDeps = { db: deps.db, processors: deps.processors, cipher: deps.paymentCipher, now: deps.now };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary:
        'Pay the affiliates now, or (dryRun, the default) list who would be paid what and who is skipped',
      description:
        'Each affiliate is paid its posted payable balance per currency, less what conversions approved within ' +
        'the hold period added, never below zero, if at least the minimum and its method is ready. Applied, ' +
        'each payout leaves the payable under the ledger key payout:{id} before the processor is called with ' +
        'the payout id as its idempotency key; a run a processor interrupted is resumed with /{id}/resume.',
      security: bearerSecurity,
      middleware: [...admin, requireScope('affiliates:write')],
      request: { body: jsonBody(payoutRunRequestSchema) },
      responses: {
        200: jsonResponse(payoutRunResponseSchema, 'The dry run, or the run with its payouts'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const request = c.req.valid('json');
      if (request.dryRun) {
        const { cutoff, decisions } = await dryRun(runDeps, { schedule: request.schedule ?? null });
        return c.json(answer(true, cutoff, null, decisions), 200);
      }
      const started = await startRun(runDeps, {
        startedBy: c.var.principal.userId,
        schedule: request.schedule ?? null,
      });
      if (!started) throw new ApiError('conflict', 'A run for this period exists already.');
      return c.json(answer(false, started.run.cutoff, started.run, started.decisions), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Payout runs, newest first',
      security: bearerSecurity,
      middleware: [...admin, requireScope('reports:read')],
      request: { query: uuidPageQuerySchema },
      responses: {
        200: jsonResponse(uuidPageSchema(payoutRunSchema), 'A page of runs'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const { limit, after } = c.req.valid('query');
      const rows = await deps.db
        .select()
        .from(payoutRuns)
        .where(and(after ? lt(payoutRuns.id, after) : undefined))
        .orderBy(desc(payoutRuns.id))
        .limit(limit);
      return c.json(
        { data: rows.map(runView), nextAfter: rows.length === limit ? (rows.at(-1)?.id ?? null) : null },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      summary: 'A payout run',
      security: bearerSecurity,
      middleware: [...admin, requireScope('reports:read')],
      request: { params: uuidParamsSchema },
      responses: {
        200: jsonResponse(payoutRunSchema, 'The run'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => c.json(runView(await findRun(deps, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/resume',
      tags,
      summary: 'Carry an interrupted run to its end; nobody is paid twice',
      security: bearerSecurity,
      middleware: [...admin, requireScope('affiliates:write')],
      request: { params: uuidParamsSchema },
      responses: {
        200: jsonResponse(payoutRunSchema, 'The run as it ended this time'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const run = await findRun(deps, c.req.valid('param').id);
      return c.json(runView(await continueRun(runDeps, run.id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/bank-transfers.csv',
      tags,
      summary: "The run's bank transfers as CSV, with the affiliates' bank details; quote the payout id",
      security: bearerSecurity,
      middleware: [...admin, requireScope('reports:read')],
      request: { params: uuidParamsSchema },
      responses: {
        200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const run = await findRun(deps, c.req.valid('param').id);
      const csv = await bankTransfersCsv(deps.db, deps.paymentCipher, run.id);
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="bank-transfers-${run.id}.csv"`);
      return c.body(csv, 200);
    },
  );
  return app;
}

async function findRun(deps: PayoutRouteDeps, id: string) {
  const [run] = await deps.db.select().from(payoutRuns).where(eq(payoutRuns.id, id));
  if (!run) throw new ApiError('not_found', 'No such payout run.');
  return run;
}

function answer(
  isDry: boolean,
  cutoff: Date,
  run: Parameters<typeof runView>[0] | null,
  decisions: Parameters<typeof decisionView>[0][],
) {
  return {
    dryRun: isDry,
    cutoff: cutoff.toISOString(),
    run: run ? runView(run) : null,
    paid: decisions.filter((d) => d.pay).map(decisionView),
    skipped: decisions.filter((d) => !d.pay).map(decisionView),
  };
}
