import { entityIdParamSchema } from '@tas/shared/ids';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import {
  type PostbackDelivery,
  postbackAttempts,
  postbackDeliveries,
} from '../db/schema/postback-configs.ts';
import { oneOrNotFound } from '../db/scoped-rows.ts';

export const deliveryStateSchema = z
  .enum(['pending', 'delivered', 'failed', 'disabled', 'cancelled'])
  .describe(
    'pending: queued or retrying; delivered; failed: given up after the last retry; disabled: parked while ' +
      'its config was off; cancelled: not sent, the conversion no longer has the status that fired it',
  );

export const deliveryCancelReasonSchema = z
  .enum(['conversion_rejected', 'conversion_pending', 'conversion_approved'])
  .describe(
    "Why it was cancelled: the conversion's status now. It is owed again (pending) if the conversion gets " +
      'the status that fired it back',
  );

export const deliveryListQuerySchema = z.object({
  state: deliveryStateSchema.optional(),
  postbackConfigId: entityIdParamSchema.optional(),
  conversionId: z.uuid().optional(),
  before: z.iso.datetime().optional().describe('Continue with deliveries created before this (nextBefore)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const deliveryIdParamsSchema = z.object({ id: z.uuid().describe('Delivery id') });

export const postbackDeliveryResponseSchema = z
  .object({
    id: z.uuid(),
    conversionId: z.uuid(),
    postbackConfigId: z.number().int(),
    affiliateId: z.number().int(),
    trigger: z.enum(['approved', 'pending']).describe('The conversion status that fired it'),
    state: deliveryStateSchema,
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime().nullable().describe('When the next retry is due (pending only)'),
    lastError: z.string().nullable(),
    cancelReason: deliveryCancelReasonSchema.nullable().describe('Set when state is cancelled'),
    deliveredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PostbackDelivery' });

export function postbackDeliveryResponse(
  d: PostbackDelivery,
): z.infer<typeof postbackDeliveryResponseSchema> {
  return {
    ...d,
    nextAttemptAt: d.state === 'pending' ? d.nextAttemptAt.toISOString() : null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

/** What the principal may see: an admin every delivery, an affiliate its own. */
export function deliveryScope(principal: Principal): SQL | undefined {
  return principal.role === 'admin'
    ? undefined
    : eq(postbackDeliveries.affiliateId, principal.affiliateId ?? -1);
}

/** A delivery the principal may see: an admin any, an affiliate its own; otherwise not_found. */
export async function visibleDelivery(db: Database, principal: Principal, id: string) {
  return oneOrNotFound(
    db
      .select()
      .from(postbackDeliveries)
      .where(and(eq(postbackDeliveries.id, id), deliveryScope(principal))),
    `Postback delivery ${id}`,
  );
}

export function listDeliveries(
  db: Database,
  principal: Principal,
  query: z.output<typeof deliveryListQuerySchema>,
) {
  return db
    .select()
    .from(postbackDeliveries)
    .where(
      and(
        deliveryScope(principal),
        query.state ? eq(postbackDeliveries.state, query.state) : undefined,
        query.postbackConfigId ? eq(postbackDeliveries.postbackConfigId, query.postbackConfigId) : undefined,
        query.conversionId ? eq(postbackDeliveries.conversionId, query.conversionId) : undefined,
        query.before ? lt(postbackDeliveries.createdAt, new Date(query.before)) : undefined,
      ),
    )
    .orderBy(desc(postbackDeliveries.createdAt), desc(postbackDeliveries.id))
    .limit(query.limit);
}

export function deliveryAttempts(db: Database, deliveryId: string) {
  return db
    .select()
    .from(postbackAttempts)
    .where(eq(postbackAttempts.deliveryId, deliveryId))
    .orderBy(desc(postbackAttempts.id));
}
