import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { recordAudit } from '../audit/record-audit.ts';
import type { PaymentDetailsCipher } from '../crypto/payment-details-cipher.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { newApiRouter } from '../http/api-router.ts';
import { idParamsSchema, pageOf, pageQuerySchema } from '../http/list-query.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { requireSession } from '../http/middleware/require-session.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import { getRoute, listRoute, patchRoute, postRoute } from '../http/resource-routes.ts';
import {
  affiliateCreateRequestSchema,
  affiliateResponse,
  affiliateResponseSchema,
  affiliateUpdateRequestSchema,
  createAffiliate,
  listAffiliates,
  paymentDetailsSchema,
  readPaymentDetails,
  setPaymentDetails,
  updateAffiliate,
  visibleAffiliate,
} from './affiliate-service.ts';

const tags = ['affiliates'];
const item = affiliateResponseSchema;

/** /api/v1/affiliates: admins manage all; an affiliate user sees and edits its own profile. */
export function affiliateRoutes(
  deps: AuthenticateDeps & { edge: EdgePublisher; paymentCipher: PaymentDetailsCipher },
) {
  const app = newApiRouter();
  const auth = authenticate(deps);
  const read = [auth, requireRole('admin', 'affiliate'), requireScope('affiliates:read')];

  app.openapi(
    listRoute({
      tags,
      summary: 'Affiliates (an affiliate user gets its own only)',
      middleware: read,
      query: pageQuerySchema,
      item,
      description: 'Affiliates',
    }),
    async (c) => {
      const page = c.req.valid('query');
      const rows = await listAffiliates(deps.db, c.var.principal, page);
      return c.json(pageOf(rows, page.limit, affiliateResponse), 200);
    },
  );

  app.openapi(
    getRoute({ tags, summary: 'One affiliate', middleware: read, item, description: 'The affiliate' }),
    async (c) =>
      c.json(
        affiliateResponse(await visibleAffiliate(deps.db, c.var.principal, c.req.valid('param').id)),
        200,
      ),
  );

  app.openapi(
    postRoute({
      tags,
      summary: 'Create an affiliate (published to the edge)',
      middleware: [auth, requireRole('admin'), requireScope('affiliates:write')],
      body: affiliateCreateRequestSchema,
      item,
      errors: ['edge_unavailable'],
    }),
    async (c) => c.json(affiliateResponse(await createAffiliate(deps, c.req.valid('json'))), 201),
  );

  app.openapi(
    patchRoute({
      tags,
      summary: 'Change an affiliate (its status: admins only, published to the edge)',
      middleware: [auth, requireRole('admin', 'affiliate'), requireScope('affiliates:write')],
      body: affiliateUpdateRequestSchema,
      item,
      errors: ['edge_unavailable'],
    }),
    async (c) => {
      // Affiliates cannot give their keys affiliates:write: they edit their profile from a session.
      const row = await updateAffiliate(deps, c.var.principal, c.req.valid('param').id, c.req.valid('json'));
      return c.json(affiliateResponse(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/payment-details',
      tags,
      summary: 'Payment details (decrypted), for the affiliate itself and admins',
      security: bearerSecurity,
      middleware: [auth, requireSession, requireRole('admin', 'affiliate')],
      request: { params: idParamsSchema },
      responses: {
        200: jsonResponse(z.object({ paymentDetails: paymentDetailsSchema.nullable() }), 'Details, or null'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const affiliate = await visibleAffiliate(deps.db, c.var.principal, c.req.valid('param').id);
      return c.json({ paymentDetails: readPaymentDetails(deps.paymentCipher, affiliate) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/{id}/payment-details',
      tags,
      summary: 'Replace payment details (encrypted at rest with AES-256-GCM)',
      security: bearerSecurity,
      middleware: [auth, requireSession, requireRole('admin', 'affiliate')],
      request: { params: idParamsSchema, body: jsonBody(paymentDetailsSchema) },
      responses: {
        204: { description: 'Stored' },
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const affiliate = await visibleAffiliate(deps.db, c.var.principal, c.req.valid('param').id);
      const details = c.req.valid('json');
      await setPaymentDetails(deps.db, deps.paymentCipher, affiliate.id, details);
      // The method only: the details themselves are encrypted at rest and stay out of the log.
      await recordAudit(deps.db, {
        actor: c.var.principal.userId,
        action: 'payment_details.changed',
        subject: { type: 'affiliate', id: affiliate.id },
        ip: c.get('caller')?.ip ?? null,
        detail: { method: details.method },
      });
      return c.body(null, 204);
    },
  );
  return app;
}
