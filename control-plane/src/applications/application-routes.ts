import { createRoute } from '@hono/zod-openapi';
import { entityIdParamSchema } from '@tas/shared/ids';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { offerAccess, offers } from '../db/schema/offers.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { ApiError } from '../http/api-error.ts';
import { newApiRouter } from '../http/api-router.ts';
import { idParamsSchema } from '../http/list-query.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import { setOfferAccess } from '../offers/offer-service.ts';
import { manageableOffer, visibleOffer } from '../offers/offer-views.ts';

const applicationStatusSchema = z.enum(['pending', 'approved', 'rejected']);
export const applicationResponseSchema = z
  .object({
    offerId: z.number().int(),
    affiliateId: z.number().int(),
    status: applicationStatusSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Application' });

const decisionSchema = z
  .object({ status: z.enum(['approved', 'rejected']) })
  .describe('Approve or reject; an admin or the advertiser may also grant a private offer directly')
  .meta({ id: 'ApplicationDecision' });

type AccessRow = typeof offerAccess.$inferSelect;
const respond = (row: AccessRow) => ({
  offerId: row.offerId,
  affiliateId: row.affiliateId,
  status: row.status,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

function applicationScope(principal: Principal): SQL | undefined {
  if (principal.role === 'admin') return undefined;
  if (principal.role === 'advertiser') return eq(offers.advertiserId, principal.advertiserId ?? -1);
  return eq(offerAccess.affiliateId, principal.affiliateId ?? -1);
}

const tags = ['applications'];

/** Affiliates apply to approval-required offers; admins and the offer's advertiser decide. */
export function applicationRoutes(deps: AuthenticateDeps & { edge: EdgePublisher }) {
  const app = newApiRouter();
  const auth = authenticate(deps);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/applications',
      tags,
      summary: 'Applications you may see (yours, or to your offers, or all for admins)',
      security: bearerSecurity,
      middleware: [auth, requireScope('offers:read')],
      request: {
        query: z.object({
          status: applicationStatusSchema.optional(),
          offerId: entityIdParamSchema.optional(),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ data: z.array(applicationResponseSchema) }), 'Applications'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const { status, offerId } = c.req.valid('query');
      const rows = await deps.db
        .select({ access: offerAccess })
        .from(offerAccess)
        .innerJoin(offers, eq(offers.id, offerAccess.offerId))
        .where(
          and(
            applicationScope(c.var.principal),
            status ? eq(offerAccess.status, status) : undefined,
            offerId ? eq(offerAccess.offerId, offerId) : undefined,
          ),
        )
        .orderBy(asc(offerAccess.createdAt))
        .limit(1000);
      return c.json({ data: rows.map((r) => respond(r.access)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/offers/{id}/applications',
      tags,
      summary: 'Apply to run an approval-required offer',
      security: bearerSecurity,
      middleware: [auth, requireRole('affiliate'), requireScope('applications:write')],
      request: { params: idParamsSchema },
      responses: {
        201: jsonResponse(applicationResponseSchema, 'Application pending'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'conflict'),
      },
    }),
    async (c) => {
      const { principal } = c.var;
      const offer = await visibleOffer(deps.db, principal, c.req.valid('param').id);
      if (offer.visibility === 'public')
        throw new ApiError('conflict', 'This offer is public: no application needed.');
      const affiliateId = principal.affiliateId;
      if (!affiliateId) throw new ApiError('forbidden', 'This user is not linked to an affiliate.');
      const [row] = await deps.db
        .insert(offerAccess)
        .values({ offerId: offer.id, affiliateId, status: 'pending' })
        .onConflictDoNothing()
        .returning();
      if (!row) throw new ApiError('conflict', 'You have already applied to this offer.');
      return c.json(respond(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/offers/{id}/applications/{affiliateId}',
      tags,
      summary: 'Approve or reject an affiliate on an offer (published to the edge at once)',
      security: bearerSecurity,
      middleware: [auth, requireRole('admin', 'advertiser'), requireScope('applications:write')],
      request: {
        params: z.object({ id: entityIdParamSchema, affiliateId: entityIdParamSchema }),
        body: jsonBody(decisionSchema),
      },
      responses: {
        200: jsonResponse(applicationResponseSchema, 'Decided'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'edge_unavailable'),
      },
    }),
    async (c) => {
      const { id, affiliateId } = c.req.valid('param');
      const offer = await manageableOffer(deps.db, c.var.principal, id);
      const [affiliate] = await deps.db
        .select({ id: affiliates.id })
        .from(affiliates)
        .where(eq(affiliates.id, affiliateId));
      if (!affiliate) throw new ApiError('not_found', `Affiliate ${affiliateId} does not exist.`);
      await setOfferAccess(deps, offer.id, affiliateId, c.req.valid('json').status);
      const [row] = await deps.db
        .select()
        .from(offerAccess)
        .where(and(eq(offerAccess.offerId, offer.id), eq(offerAccess.affiliateId, affiliateId)));
      if (!row) throw new Error('access row missing after upsert');
      return c.json(respond(row), 200);
    },
  );
  return app;
}
