import { createRoute, z } from '@hono/zod-openapi';
import { entityIdParamSchema } from '@tas/shared/ids';
import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { ApiError } from '../http/api-error.ts';
import { newApiRouter } from '../http/api-router.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import type { Mailer } from '../mail/mailer.ts';
import {
  type BillingSettings,
  billingSettingsSchema,
  billingTermsSchema,
  readBillingSettings,
  saveBillingTerms,
} from './billing-settings.ts';
import { fundsPictureSchema } from './funds-evaluation.ts';
import { readFundsOverview } from './funds-figures.ts';
import { noticeFundsChanges } from './funds-notice.ts';
import { markAndPublishFunds } from './funds-stop.ts';

const tags = ['billing'];

const paramsSchema = z.object({ advertiserId: entityIdParamSchema.describe('The advertiser') });

export const advertiserBillingSchema = billingSettingsSchema
  .extend({
    funds: z
      .array(
        fundsPictureSchema.extend({
          stoppedAtEdge: z
            .boolean()
            .describe("Whether the edge has this currency's offers stopped now (the state last published)"),
        }),
      )
      .describe(
        'Per currency the advertiser has a ledger account or a live offer in: its balance, holds, ' +
          'what is available and whether its offers are stopped',
      ),
  })
  .meta({ id: 'AdvertiserBilling' });

async function billingOf(db: Database, settings: BillingSettings) {
  return { ...settings, funds: await readFundsOverview(db, settings) };
}

/**
 * /api/v1/advertisers/{advertiserId}/billing: an advertiser's billing terms (prepaid or postpaid,
 * credit limits, low-balance thresholds, invoice period, net terms) and its funds per currency.
 * The advertiser reads its own, admins any and set them; changing them re-evaluates the funds and
 * stops or restarts the advertiser's offers at the edge in the same transaction (decision 024).
 */
export function billingSettingsRoutes(deps: AuthenticateDeps & { edge: EdgePublisher; mailer: Mailer }) {
  const app = newApiRouter();
  const auth = authenticate(deps);

  const existing = async (advertiserId: number) => {
    const [row] = await deps.db
      .select({ id: advertisers.id })
      .from(advertisers)
      .where(eq(advertisers.id, advertiserId));
    if (!row) throw new ApiError('not_found', 'No such advertiser.');
  };
  const own = (principal: Principal, advertiserId: number) => {
    // Another advertiser's terms are as absent as a missing advertiser.
    if (principal.role !== 'admin' && principal.advertiserId !== advertiserId)
      throw new ApiError('not_found', 'No such advertiser.');
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{advertiserId}/billing',
      tags,
      summary: "An advertiser's billing terms and funds per currency (your own, or any for admins)",
      security: bearerSecurity,
      middleware: [auth, requireRole('admin', 'advertiser'), requireScope('advertisers:read')],
      request: { params: paramsSchema },
      responses: {
        200: jsonResponse(advertiserBillingSchema, 'The terms and the funds'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { advertiserId } = c.req.valid('param');
      own(c.var.principal, advertiserId);
      await existing(advertiserId);
      return c.json(await billingOf(deps.db, await readBillingSettings(deps.db, advertiserId)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/{advertiserId}/billing',
      tags,
      summary:
        "Set an advertiser's billing terms (admins); its offers stop or serve again at once as its funds say",
      security: bearerSecurity,
      middleware: [auth, requireRole('admin'), requireScope('advertisers:write')],
      request: { params: paramsSchema, body: jsonBody(billingTermsSchema) },
      responses: {
        200: jsonResponse(advertiserBillingSchema, 'The terms saved, and the funds under them'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'edge_unavailable'),
      },
    }),
    async (c) => {
      const { advertiserId } = c.req.valid('param');
      await existing(advertiserId);
      const terms = c.req.valid('json');
      // Terms, state and the edge change together: an edge that refuses leaves the old terms.
      const { settings, changes } = await deps.db.transaction(async (tx) => {
        const settings = await saveBillingTerms(tx, advertiserId, terms);
        const changes = await markAndPublishFunds(tx, deps.edge, [advertiserId], deps.now?.() ?? new Date());
        return { settings, changes };
      });
      await noticeFundsChanges(deps, changes);
      return c.json(await billingOf(deps.db, settings), 200);
    },
  );
  return app;
}
