import { entityIdSchema } from '@tas/shared/ids';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { ownerOfNew } from '../accounts/owner-of-new.ts';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { offers } from '../db/schema/offers.ts';
import { type PostbackConfig, postbackAttempts, postbackConfigs } from '../db/schema/postback-configs.ts';
import { keysetPage, oneOrNotFound } from '../db/scoped-rows.ts';
import { ApiError } from '../http/api-error.ts';
import { visibleOffer } from '../offers/offer-views.ts';
import { DELIVERY_ID_HEADER } from './postback-outbox.ts';

// Headers the HTTP client or the outbox sets itself, or that would change how the request is framed or routed.
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
  DELIVERY_ID_HEADER,
]);

const headersSchema = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'a header name')
      .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'a header the client sets itself'),
    z
      .string()
      .max(1024)
      .regex(/^[^\r\n\0]*$/, 'no line breaks'),
  )
  .refine((h) => Object.keys(h).length <= 20, 'at most 20 headers')
  .describe('Extra request headers; values may contain {macros}');

const parametersSchema = z
  .record(z.string().min(1).max(64), z.string().max(1024))
  .refine((p) => Object.keys(p).length <= 50, 'at most 50 parameters')
  .describe('POST form fields; values may contain {macros}');

const postbackUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .describe(
    'The affiliate endpoint, with {macros} (tracking contract, section 5): {click_id}, {conversion_id}, ' +
      '{txid}, {status}, {payout}, {currency}, {offer_id}, {aff_id}, {sub1}..{sub5}, {source_id}, {event}, ' +
      '{country}, {ip}, {timestamp}. Delivery is at least once: dedupe on {conversion_id} with {status}, ' +
      'or on the X-TAS-Delivery-Id header sent with every attempt.',
  );

const fields = {
  offerId: entityIdSchema.nullable().describe("One offer, or null for all of the affiliate's conversions"),
  url: postbackUrlSchema,
  method: z.enum(['GET', 'POST']),
  headers: headersSchema,
  parameters: parametersSchema,
  fireOn: z
    .enum(['approved', 'pending'])
    .describe('Fire when a conversion is approved, or already when pending'),
  isActive: z.boolean().describe('Setting true again also re-enables a config disabled after failures'),
};

export const postbackConfigCreateRequestSchema = z
  .object({
    affiliateId: entityIdSchema.optional().describe('Required for admins; affiliates configure their own'),
    offerId: fields.offerId.optional(),
    url: fields.url,
    method: fields.method.default('GET'),
    headers: fields.headers.default({}),
    parameters: fields.parameters.default({}),
    fireOn: fields.fireOn.default('approved'),
    isActive: z.boolean().default(true),
  })
  .meta({ id: 'PostbackConfigCreateRequest' });

export const postbackConfigUpdateRequestSchema = z
  .object(fields)
  .partial()
  .meta({ id: 'PostbackConfigUpdateRequest' });

export const postbackConfigResponseSchema = z
  .object({
    id: z.number().int(),
    affiliateId: z.number().int(),
    offerId: z.number().int().nullable(),
    url: z.string(),
    method: z.enum(['GET', 'POST']),
    headers: z.record(z.string(), z.string()),
    parameters: z.record(z.string(), z.string()),
    fireOn: z.enum(['approved', 'pending']),
    isActive: z.boolean(),
    consecutiveFailures: z.number().int(),
    disabledAt: z.iso.datetime().nullable().describe('Set when disabled after repeated failures'),
    disabledReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'PostbackConfig' });

export const postbackAttemptResponseSchema = z
  .object({
    id: z.number().int(),
    kind: z
      .enum(['delivery', 'test', 'replay', 'cancelled'])
      .describe(
        'delivery: sent by the worker; replay: sent by hand; test: a test-fire; cancelled: not sent, ' +
          'because the conversion no longer has the status that fired the delivery (error says which; ' +
          'url is the configured template)',
      ),
    deliveryId: z.string().nullable(),
    url: z.string(),
    method: z.enum(['GET', 'POST']),
    statusCode: z.number().int().nullable(),
    latencyMs: z.number().int(),
    bodyExcerpt: z.string().nullable(),
    error: z.string().nullable(),
    ok: z.boolean(),
    attemptedAt: z.iso.datetime(),
  })
  .meta({ id: 'PostbackAttempt' });

export function postbackConfigResponse(c: PostbackConfig): z.infer<typeof postbackConfigResponseSchema> {
  return {
    ...c,
    disabledAt: c.disabledAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function postbackAttemptResponse(
  a: typeof postbackAttempts.$inferSelect,
): z.infer<typeof postbackAttemptResponseSchema> {
  const { postbackConfigId: _config, attemptedAt, ...rest } = a;
  return { ...rest, attemptedAt: attemptedAt.toISOString() };
}

function configScope(principal: Principal): SQL | undefined {
  return principal.role === 'admin'
    ? undefined
    : eq(postbackConfigs.affiliateId, principal.affiliateId ?? -1);
}

export async function visibleConfig(db: Database, principal: Principal, id: number): Promise<PostbackConfig> {
  return oneOrNotFound(
    db
      .select()
      .from(postbackConfigs)
      .where(and(eq(postbackConfigs.id, id), configScope(principal))),
    `Postback configuration ${id}`,
  );
}

export function listConfigs(
  db: Database,
  principal: Principal,
  page: { limit: number; after?: number | undefined },
) {
  return keysetPage(
    db.select().from(postbackConfigs).$dynamic(),
    postbackConfigs.id,
    page,
    configScope(principal),
  );
}

/** An affiliate may only attach a postback to an offer it can see; an admin to any offer. */
async function assertOfferUsable(db: Database, principal: Principal, offerId: number | null | undefined) {
  if (!offerId) return;
  if (principal.role === 'admin') {
    const [offer] = await db.select({ id: offers.id }).from(offers).where(eq(offers.id, offerId));
    if (!offer) throw new ApiError('not_found', `Offer ${offerId} does not exist.`);
    return;
  }
  await visibleOffer(db, principal, offerId);
}

export async function createConfig(
  db: Database,
  principal: Principal,
  input: z.output<typeof postbackConfigCreateRequestSchema>,
): Promise<PostbackConfig> {
  const affiliateId = await ownerOfNew(
    db,
    principal,
    'affiliate',
    input.affiliateId,
    'Affiliates configure their own postbacks only.',
  );
  await assertOfferUsable(db, principal, input.offerId);
  const [row] = await db
    .insert(postbackConfigs)
    .values({ ...input, affiliateId })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateConfig(
  db: Database,
  principal: Principal,
  id: number,
  patch: z.output<typeof postbackConfigUpdateRequestSchema>,
): Promise<PostbackConfig> {
  await visibleConfig(db, principal, id);
  await assertOfferUsable(db, principal, patch.offerId);
  // Turning a config on again clears its failure streak: the affiliate says the endpoint is fixed.
  const reenable =
    patch.isActive === true ? { consecutiveFailures: 0, disabledAt: null, disabledReason: null } : {};
  return oneOrNotFound(
    db
      .update(postbackConfigs)
      .set({ ...patch, ...reenable })
      .where(eq(postbackConfigs.id, id))
      .returning(),
    `Postback configuration ${id}`,
  );
}

export function recentAttempts(db: Database, configId: number, limit: number) {
  return db
    .select()
    .from(postbackAttempts)
    .where(eq(postbackAttempts.postbackConfigId, configId))
    .orderBy(desc(postbackAttempts.id))
    .limit(limit);
}
