import { createRoute } from '@hono/zod-openapi';
import { newApiRouter } from '../http/api-router.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../http/openapi-helpers.ts';
import type { ProcessorDeps } from '../processors/processor-deps.ts';
import { accountBalances } from './balances.ts';
import {
  balancePageSchema,
  balanceQuerySchema,
  reconciliationQuerySchema,
  reconciliationResponseSchema,
  transferPageSchema,
  transferQuerySchema,
} from './ledger-schemas.ts';
import { ledgerScope } from './ledger-scope.ts';
import { reconcileLedger } from './reconciliation.ts';
import { listTransfers } from './transfer-list.ts';

const tags = ['ledger'];

/**
 * /api/v1/ledger: balances and transfers, scoped to the caller's own accounts (an affiliate sees
 * only its payable, an advertiser only its own account), and the reconciliation, for admins.
 * Reading money needs the reports:read scope from an API key.
 */
export function ledgerRoutes(deps: AuthenticateDeps & { processors?: ProcessorDeps | undefined }) {
  const app = newApiRouter();
  const read = [authenticate(deps), requireScope('reports:read')];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/balances',
      tags,
      summary: 'Account balances by layer, summed from the entries (yours, unless you are an admin)',
      security: bearerSecurity,
      middleware: read,
      request: { query: balanceQuerySchema },
      responses: {
        200: jsonResponse(balancePageSchema, 'A page of balances, in account id order'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const scope = ledgerScope(c.var.principal);
      // The filters narrow the caller's scope, never widen it: another owner's id finds nothing.
      if (scope && query.ownerId !== undefined && query.ownerId !== scope.ownerId) {
        return c.json({ data: [], nextAfter: null }, 200);
      }
      const { rows, nextAfter } = await accountBalances(deps.db, {
        kind: query.kind,
        kinds: scope?.kinds,
        ownerId: scope?.ownerId ?? query.ownerId,
        currency: query.currency,
        after: query.after,
        limit: query.limit,
      });
      return c.json({ data: rows, nextAfter }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/transfers',
      tags,
      summary:
        'Transfers with their entries, oldest or newest first (those touching your accounts, with only your entries)',
      security: bearerSecurity,
      middleware: read,
      request: { query: transferQuerySchema },
      responses: {
        200: jsonResponse(transferPageSchema, 'A page of transfers, in id order'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const { rows, nextAfter } = await listTransfers(
        deps.db,
        c.req.valid('query'),
        ledgerScope(c.var.principal),
      );
      return c.json(
        { data: rows.map((t) => ({ ...t, createdAt: t.createdAt.toISOString() })), nextAfter },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/reconciliation',
      tags,
      summary: 'Prove the ledger equal to the conversions, or name every difference (admins)',
      description:
        'Checks that every transfer balances per currency and layer, that each conversion holds what its status ' +
        'and amounts call for, that the ledger steps of each payout match its state, and that the top-ups and ' +
        "payouts since `since` match each processor's own records (Stripe's Checkout Sessions and transfers, " +
        "PayPal's payout items), both ways. Reads every conversion and pages through the processors' lists: slow " +
        'on large ledgers; `pnpm --filter @tas/control-plane ledger reconcile` prints the same.',
      security: bearerSecurity,
      middleware: [authenticate(deps), requireRole('admin'), requireScope('reports:read')],
      request: { query: reconciliationQuerySchema },
      responses: {
        200: jsonResponse(reconciliationResponseSchema, 'The result, with the differences found'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const result = await reconcileLedger(deps.db, {
        maxDifferences: query.maxDifferences,
        processors: deps.processors,
        since: query.since ? new Date(query.since) : undefined,
        ...(deps.now ? { now: deps.now } : {}),
      });
      return c.json(
        { ...result, checkedAt: result.checkedAt.toISOString(), since: result.since.toISOString() },
        200,
      );
    },
  );
  return app;
}
