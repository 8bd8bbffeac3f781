import { createRoute, z } from '@hono/zod-openapi';
import { entityIdParamSchema } from '@tas/shared/ids';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { Principal } from '../auth/principal.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { type AffiliatePayoutSettings, affiliatePayoutSettings } from '../db/schema/payouts.ts';
import { ApiError } from '../http/api-error.ts';
import { newApiRouter } from '../http/api-router.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import { requireStripe } from '../processors/processor-deps.ts';
import { createExpressAccount, createOnboardingLink } from '../processors/stripe/stripe-connect.ts';
import { payoutMethodSchema } from './eligibility.ts';
import type { PayoutRouteDeps } from './payout-run-routes.ts';
import {
  networkPayoutSettingsSchema,
  payoutScheduleSchema,
  readNetworkPayoutSettings,
  saveNetworkPayoutSettings,
} from './payout-settings.ts';

const tags = ['payouts'];

const affiliateParamsSchema = z.object({ affiliateId: entityIdParamSchema.describe('The affiliate') });

export const affiliatePayoutSettingsSchema = z
  .object({
    affiliateId: z.number().int(),
    method: payoutMethodSchema.nullable().describe('How the affiliate is paid; null: not chosen (skipped)'),
    stripeAccountId: z.string().nullable().describe('Stripe connected account, made by the onboarding link'),
    stripePayoutsEnabled: z.boolean().describe('Stripe pays the account out (onboarding finished)'),
    paypalEmail: z.email().nullable().describe('PayPal receiver; stored encrypted'),
    schedule: payoutScheduleSchema.nullable().describe("Override of the network's schedule"),
    minimumMinor: z.number().int().min(0).nullable().describe("Override of the network's minimum"),
    holdDays: z.number().int().min(0).nullable().describe("Override of the network's hold"),
  })
  .meta({ id: 'AffiliatePayoutSettings' });

export const affiliatePayoutSettingsRequestSchema = z
  .object({
    method: payoutMethodSchema.nullable().optional(),
    paypalEmail: z.email().max(254).nullable().optional().describe('Required to choose paypal'),
    schedule: payoutScheduleSchema.nullable().optional().describe('Admins only'),
    minimumMinor: z
      .number()
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .nullable()
      .optional()
      .describe('Admins only'),
    holdDays: z.number().int().min(0).max(365).nullable().optional().describe('Admins only'),
  })
  .meta({ id: 'AffiliatePayoutSettingsRequest' });

/**
 * /api/v1/payout-settings: the network's payout defaults (admins) and each affiliate's method and
 * overrides (the affiliate edits its own method; admins any, overrides included), and the Stripe
 * Connect onboarding link.
 */
export function payoutSettingsRoutes(deps: PayoutRouteDeps & { publicAppUrl: string }) {
  const app = newApiRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/network',
      tags,
      summary: "The network's payout defaults (admins)",
      security: bearerSecurity,
      middleware: [authenticate(deps), requireRole('admin')],
      responses: {
        200: jsonResponse(networkPayoutSettingsSchema, 'The settings'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => c.json(await readNetworkPayoutSettings(deps.db), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/network',
      tags,
      summary: "Set the network's payout defaults (admins)",
      security: bearerSecurity,
      middleware: [authenticate(deps), requireRole('admin'), requireScope('affiliates:write')],
      request: { body: jsonBody(networkPayoutSettingsSchema) },
      responses: {
        200: jsonResponse(networkPayoutSettingsSchema, 'The settings saved'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => c.json(await saveNetworkPayoutSettings(deps.db, c.req.valid('json')), 200),
  );

  const own = (principal: Principal, affiliateId: number) => {
    if (principal.role === 'admin') return;
    // Not another's: an affiliate's settings are as absent to others as a missing affiliate.
    if (principal.role !== 'affiliate' || principal.affiliateId !== affiliateId)
      throw new ApiError('not_found', 'No such affiliate.');
  };
  const load = async (affiliateId: number) => {
    const [affiliate] = await deps.db.select().from(affiliates).where(eq(affiliates.id, affiliateId));
    if (!affiliate) throw new ApiError('not_found', 'No such affiliate.');
    const [row] = await deps.db
      .select()
      .from(affiliatePayoutSettings)
      .where(eq(affiliatePayoutSettings.affiliateId, affiliateId));
    return { affiliate, row: row ?? null };
  };
  const view = (affiliateId: number, row: AffiliatePayoutSettings | null) => ({
    affiliateId,
    method: row?.method ?? null,
    stripeAccountId: row?.stripeAccountId ?? null,
    stripePayoutsEnabled: row?.stripePayoutsEnabled ?? false,
    paypalEmail: row?.paypalReceiverEncrypted
      ? deps.paymentCipher.decrypt(affiliateId, row.paypalReceiverEncrypted)
      : null,
    schedule: row?.schedule ?? null,
    minimumMinor: row?.minimumMinor ?? null,
    holdDays: row?.holdDays ?? null,
  });
  const save = async (affiliateId: number, values: Partial<typeof affiliatePayoutSettings.$inferInsert>) => {
    const [row] = await deps.db
      .insert(affiliatePayoutSettings)
      .values({ affiliateId, ...values })
      .onConflictDoUpdate({
        target: affiliatePayoutSettings.affiliateId,
        set: { ...values, updatedAt: new Date() },
      })
      .returning();
    return row ?? null;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/affiliates/{affiliateId}',
      tags,
      summary: "An affiliate's payout method and overrides (your own, or any for admins)",
      security: bearerSecurity,
      middleware: [authenticate(deps), requireScope('affiliates:read')],
      request: { params: affiliateParamsSchema },
      responses: {
        200: jsonResponse(affiliatePayoutSettingsSchema, 'The settings'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { affiliateId } = c.req.valid('param');
      own(c.var.principal, affiliateId);
      const { row } = await load(affiliateId);
      return c.json(view(affiliateId, row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/affiliates/{affiliateId}',
      tags,
      summary: "Change an affiliate's payout method (its own) or overrides (admins)",
      description:
        'Fields left out stay as they are. paypal needs a paypalEmail (stored encrypted); stripe_connect is ' +
        'paid once the onboarding link was followed to the end.',
      security: bearerSecurity,
      middleware: [authenticate(deps), requireScope('affiliates:write')],
      request: { params: affiliateParamsSchema, body: jsonBody(affiliatePayoutSettingsRequestSchema) },
      responses: {
        200: jsonResponse(affiliatePayoutSettingsSchema, 'The settings saved'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { affiliateId } = c.req.valid('param');
      const body = c.req.valid('json');
      own(c.var.principal, affiliateId);
      const overrides =
        body.schedule !== undefined || body.minimumMinor !== undefined || body.holdDays !== undefined;
      if (overrides && c.var.principal.role !== 'admin')
        throw new ApiError('forbidden', 'Only admins change the schedule, minimum or hold of an affiliate.');
      const { row } = await load(affiliateId);
      const paypalEmail =
        body.paypalEmail === undefined
          ? undefined
          : body.paypalEmail === null
            ? null
            : deps.paymentCipher.encrypt(affiliateId, body.paypalEmail);
      const method = body.method === undefined ? (row?.method ?? null) : body.method;
      const hasPaypal =
        paypalEmail === undefined ? row?.paypalReceiverEncrypted != null : paypalEmail !== null;
      if (method === 'paypal' && !hasPaypal)
        throw new ApiError('invalid_request', 'Choosing paypal needs a paypalEmail.');
      const saved = await save(affiliateId, {
        ...(body.method !== undefined ? { method: body.method } : {}),
        ...(paypalEmail !== undefined ? { paypalReceiverEncrypted: paypalEmail } : {}),
        ...(body.schedule !== undefined ? { schedule: body.schedule } : {}),
        ...(body.minimumMinor !== undefined ? { minimumMinor: body.minimumMinor } : {}),
        ...(body.holdDays !== undefined ? { holdDays: body.holdDays } : {}),
      });
      // Where the money goes is what a stolen session would change: in the audit log, by field name.
      await recordAudit(deps.db, {
        actor: c.var.principal.userId,
        action: 'payout_method.changed',
        subject: { type: 'affiliate', id: affiliateId },
        ip: c.get('caller')?.ip ?? null,
        detail: {
          method: saved?.method ?? null,
          changed: Object.keys(body).filter((name) => body[name as keyof typeof body] !== undefined),
        },
      });
      return c.json(view(affiliateId, saved), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/affiliates/{affiliateId}/stripe-onboarding',
      tags,
      summary: "A link to Stripe's onboarding for the affiliate's connected account (made on first use)",
      description: 'The link expires in minutes: ask for one per visit. Sets the method to stripe_connect.',
      security: bearerSecurity,
      middleware: [authenticate(deps), requireScope('affiliates:write')],
      request: { params: affiliateParamsSchema },
      responses: {
        200: jsonResponse(
          z.object({ url: z.url(), expiresAt: z.iso.datetime(), stripeAccountId: z.string() }),
          'The link',
        ),
        ...errorResponses(
          'unauthorized',
          'forbidden',
          'not_found',
          'processor_not_configured',
          'processor_unavailable',
        ),
      },
    }),
    async (c) => {
      const { affiliateId } = c.req.valid('param');
      own(c.var.principal, affiliateId);
      const stripe = requireStripe(deps.processors);
      const { affiliate, row } = await load(affiliateId);
      let accountId = row?.stripeAccountId ?? null;
      if (!accountId) {
        const created = await createExpressAccount(stripe.client, {
          affiliateId,
          email: affiliate.contactEmail ?? undefined,
        });
        if (!created.ok) throw new ApiError('processor_unavailable', `Stripe: ${created.failure.message}`);
        accountId = created.value.id;
        await save(affiliateId, { stripeAccountId: accountId, method: 'stripe_connect' });
      }
      const back = `${deps.publicAppUrl.replace(/\/$/, '')}/payouts/settings`;
      const link = await createOnboardingLink(stripe.client, {
        accountId,
        refreshUrl: back,
        returnUrl: back,
      });
      if (!link.ok) throw new ApiError('processor_unavailable', `Stripe: ${link.failure.message}`);
      return c.json(
        { url: link.value.url, expiresAt: link.value.expiresAt.toISOString(), stripeAccountId: accountId },
        200,
      );
    },
  );
  return app;
}
