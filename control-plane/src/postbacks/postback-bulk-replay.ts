import { entityIdSchema } from '@tas/shared/ids';
import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { conversions } from '../db/schema/conversions.ts';
import { postbackConfigs, postbackDeliveries } from '../db/schema/postback-configs.ts';
import { deliveryScope } from './postback-delivery-service.ts';

/** The most deliveries one call re-queues; the answer says when more matched. */
export const MAX_BULK_REPLAY = 10_000;

export const bulkReplayRequestSchema = z
  .object({
    states: z
      .array(z.enum(['failed', 'disabled', 'delivered']))
      .min(1)
      .default(['failed', 'disabled'])
      .describe(
        'Which deliveries: failed (given up after the last retry), disabled (parked while the config was ' +
          'off), delivered (send again). Pending ones are queued already.',
      ),
    postbackConfigId: entityIdSchema.optional(),
    affiliateId: entityIdSchema.optional(),
    offerId: entityIdSchema.optional().describe("The converting offer's id"),
    from: z.iso.datetime().optional().describe('Deliveries created at or after this'),
    to: z.iso.datetime().optional().describe('Deliveries created before this'),
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_BULK_REPLAY)
      .default(MAX_BULK_REPLAY)
      .describe(`At most this many, oldest first (${MAX_BULK_REPLAY} at most)`),
    dryRun: z
      .boolean()
      .default(true)
      .describe('Default true: count what would be re-queued and change nothing; send false to apply'),
  })
  .refine((r) => !r.from || !r.to || Date.parse(r.from) < Date.parse(r.to), {
    message: 'from must be before to',
    path: ['to'],
  })
  .meta({ id: 'PostbackBulkReplayRequest' });
export type BulkReplayRequest = z.output<typeof bulkReplayRequestSchema>;

export const bulkReplayResponseSchema = z
  .object({
    dryRun: z.boolean(),
    count: z.number().int().describe('Deliveries re-queued (or that would be, on a dry run)'),
    limit: z.number().int().describe('The most one call re-queues'),
    moreMatched: z
      .boolean()
      .describe('More than limit matched: call again (the re-queued ones no longer match) or narrow from/to'),
    inactiveConfigs: z
      .number()
      .int()
      .describe('Matching deliveries left alone because their config is off: turn it on, then replay them'),
  })
  .meta({ id: 'PostbackBulkReplayResult' });
export type BulkReplayResult = z.infer<typeof bulkReplayResponseSchema>;

function matching(principal: Principal, request: BulkReplayRequest) {
  return and(
    deliveryScope(principal),
    inArray(postbackDeliveries.state, request.states),
    request.postbackConfigId ? eq(postbackDeliveries.postbackConfigId, request.postbackConfigId) : undefined,
    request.affiliateId ? eq(postbackDeliveries.affiliateId, request.affiliateId) : undefined,
    request.offerId ? eq(conversions.offerId, request.offerId) : undefined,
    request.from ? gte(postbackDeliveries.createdAt, new Date(request.from)) : undefined,
    request.to ? lt(postbackDeliveries.createdAt, new Date(request.to)) : undefined,
  );
}

/**
 * Re-queues the deliveries matching `request` that the principal may see (an admin any, an
 * affiliate its own: others' are simply not counted), due at `now` with a fresh retry budget, for
 * the worker to send. Deliveries of a config that is off are left alone: the worker would only park
 * them again.
 */
export async function bulkReplay(
  db: Database,
  principal: Principal,
  request: BulkReplayRequest,
  now: Date,
): Promise<BulkReplayResult> {
  const where = matching(principal, request);
  const found = await db
    .select({ id: postbackDeliveries.id })
    .from(postbackDeliveries)
    .innerJoin(postbackConfigs, eq(postbackConfigs.id, postbackDeliveries.postbackConfigId))
    .innerJoin(conversions, eq(conversions.id, postbackDeliveries.conversionId))
    .where(and(where, eq(postbackConfigs.isActive, true)))
    .orderBy(asc(postbackDeliveries.createdAt), asc(postbackDeliveries.id))
    .limit(request.limit + 1);
  const [inactive] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(postbackDeliveries)
    .innerJoin(postbackConfigs, eq(postbackConfigs.id, postbackDeliveries.postbackConfigId))
    .innerJoin(conversions, eq(conversions.id, postbackDeliveries.conversionId))
    .where(and(where, eq(postbackConfigs.isActive, false)));
  const ids = found.slice(0, request.limit).map((r) => r.id);
  const result = {
    dryRun: request.dryRun,
    limit: request.limit,
    moreMatched: found.length > request.limit,
    inactiveConfigs: inactive?.n ?? 0,
  };
  if (request.dryRun || ids.length === 0) return { ...result, count: ids.length };
  // The state is checked again: one that changed in the meantime (another replay) is left as it is.
  const requeued = await db
    .update(postbackDeliveries)
    .set({ state: 'pending', attempts: 0, nextAttemptAt: now })
    .where(
      and(
        sql`${postbackDeliveries.id} = ANY(${sql.param(ids)}::uuid[])`,
        inArray(postbackDeliveries.state, request.states),
      ),
    )
    .returning({ id: postbackDeliveries.id });
  return { ...result, count: requeued.length };
}
