import { createRoute } from '@hono/zod-openapi';
import { entityIdParamSchema } from '@tas/shared/ids';
import { z } from 'zod';
import { ownerOfNew } from '../accounts/owner-of-new.ts';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import type { Offer } from '../db/schema/offers.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { ApiError } from '../http/api-error.ts';
import { newApiRouter } from '../http/api-router.ts';
import { idParamsSchema, nextAfter, pageQuerySchema } from '../http/list-query.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import { getRoute, listRoute, postRoute } from '../http/resource-routes.ts';
import {
  affiliateOfferResponseSchema,
  offerCreateRequestSchema,
  offerResponseSchema,
  offerStatusSchema,
  offerUpdateRequestSchema,
  payoutOverrideListQuerySchema,
  payoutOverrideRequestSchema,
  payoutOverrideResponseSchema,
} from './offer-schemas.ts';
import { createOffer, setPayoutOverride, updateOffer } from './offer-service.ts';
import {
  affiliateOfferResponse,
  listVisibleOffers,
  manageableOffer,
  offerResponse,
  visibleOffer,
} from './offer-views.ts';
import { overrideHistory } from './payout-rules.ts';

export type OfferRouteDeps = {
  db: Database;
  edge: EdgePublisher;
  keys: AccessTokenKeys;
  /** Public base of tracking links shown to affiliates. */
  edgePublicUrl: string;
  now?: () => Date;
};

const tags = ['offers'];
const offerViewSchema = z
  .union([offerResponseSchema, affiliateOfferResponseSchema])
  .describe('Admins and the advertiser get Offer; affiliates get AffiliateOffer');

/** /api/v1/offers: offers, their payout overrides, seen and changed by who may. */
export function offerRoutes(deps: OfferRouteDeps) {
  const app = newApiRouter();
  const auth = authenticate(deps);
  const read = [auth, requireScope('offers:read')];
  const view = (principal: Principal, offer: Offer) =>
    principal.role === 'affiliate'
      ? affiliateOfferResponse(deps.db, offer, principal.affiliateId ?? -1, deps.edgePublicUrl)
      : offerResponse(deps.db, offer);

  app.openapi(
    listRoute({
      tags,
      summary: 'Offers you may see',
      middleware: read,
      query: pageQuerySchema.extend({
        status: offerStatusSchema.optional(),
        advertiserId: entityIdParamSchema.optional(),
      }),
      item: offerViewSchema,
      description: 'Offers',
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await listVisibleOffers(deps.db, c.var.principal, query);
      const data = await Promise.all(rows.map((o) => view(c.var.principal, o)));
      return c.json({ data, nextAfter: nextAfter(rows, query.limit) }, 200);
    },
  );

  app.openapi(
    getRoute({
      tags,
      summary: 'One offer',
      middleware: read,
      item: offerViewSchema,
      description: 'The offer',
    }),
    async (c) => {
      const offer = await visibleOffer(deps.db, c.var.principal, c.req.valid('param').id);
      return c.json(await view(c.var.principal, offer), 200);
    },
  );

  app.openapi(
    postRoute({
      tags,
      summary: 'Create an offer (published to the edge when active or paused)',
      middleware: [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')],
      body: offerCreateRequestSchema,
      item: offerResponseSchema,
      errors: ['not_found', 'edge_unavailable'],
    }),
    async (c) => {
      const body = c.req.valid('json');
      const advertiserId = await ownerOfNew(
        deps.db,
        c.var.principal,
        'advertiser',
        body.advertiserId,
        'Advertisers create offers for themselves only.',
      );
      const offer = await createOffer(deps, { ...body, advertiserId });
      return c.json(await offerResponse(deps.db, offer), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      summary: 'Change an offer (published to the edge at once)',
      description:
        'Changing payout or revenue applies to clicks from now on; earlier clicks keep earlier rates. ' +
        "Changing payoutType also ends the affiliates' payout overrides (amounts in the old type's unit): " +
        'see GET /{id}/payouts?history=true.',
      security: bearerSecurity,
      middleware: [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')],
      request: { params: idParamsSchema, body: jsonBody(offerUpdateRequestSchema) },
      responses: {
        200: jsonResponse(offerResponseSchema, 'Changed'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'edge_unavailable'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await manageableOffer(deps.db, c.var.principal, id);
      const offer = await updateOffer(deps, id, c.req.valid('json'));
      return c.json(await offerResponse(deps.db, offer), 200);
    },
  );

  const overrideParams = z.object({ id: entityIdParamSchema, affiliateId: entityIdParamSchema });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/payouts',
      tags,
      summary: 'Per-affiliate payout overrides in force (with history=true, every version)',
      description:
        "Changing the offer's payout type ends its overrides (endReason payout_type_changed): they were " +
        "amounts in the old type's unit. Ended versions are kept and listed with history=true.",
      security: bearerSecurity,
      middleware: [auth, requireRole('admin', 'advertiser'), requireScope('offers:read')],
      request: { params: idParamsSchema, query: payoutOverrideListQuerySchema },
      responses: {
        200: jsonResponse(z.object({ data: z.array(payoutOverrideResponseSchema) }), 'Overrides'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const offer = await manageableOffer(deps.db, c.var.principal, c.req.valid('param').id);
      const history = await overrideHistory(deps.db, offer.id);
      const rows = c.req.valid('query').history === 'true' ? history : history.filter((r) => !r.effectiveTo);
      return c.json(
        {
          data: rows.map((r) => ({
            affiliateId: r.affiliateId,
            payoutType: r.payoutType,
            payoutMinor: r.payoutMinor,
            payoutBps: r.payoutBps,
            effectiveFrom: r.effectiveFrom.toISOString(),
            effectiveTo: r.effectiveTo?.toISOString() ?? null,
            endReason: r.endReason,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/{id}/payouts/{affiliateId}',
      tags,
      summary: "Set an affiliate's payout on this offer, from now on",
      security: bearerSecurity,
      middleware: [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')],
      request: { params: overrideParams, body: jsonBody(payoutOverrideRequestSchema) },
      responses: { 204: { description: 'Set' }, ...errorResponses('unauthorized', 'forbidden', 'not_found') },
    }),
    async (c) => {
      const { id, affiliateId } = c.req.valid('param');
      await manageableOffer(deps.db, c.var.principal, id);
      await setPayoutOverride(deps, id, affiliateId, c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}/payouts/{affiliateId}',
      tags,
      summary: "End an affiliate's payout override (the default applies to new clicks)",
      security: bearerSecurity,
      middleware: [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')],
      request: { params: overrideParams },
      responses: {
        204: { description: 'Ended' },
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { id, affiliateId } = c.req.valid('param');
      await manageableOffer(deps.db, c.var.principal, id);
      if (!(await setPayoutOverride(deps, id, affiliateId, null))) {
        throw new ApiError('not_found', `Affiliate ${affiliateId} has no override on offer ${id}.`);
      }
      return c.body(null, 204);
    },
  );

  return app;
}
