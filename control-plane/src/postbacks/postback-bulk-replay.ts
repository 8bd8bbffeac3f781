import { entityIdSchema } from '@tas/shared/ids';
import { and, asc, eq, gte, inArray, lt, ne, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { type Database, queryRows } from '../db/database.ts';
import { conversions } from '../db/schema/conversions.ts';
import { postbackConfigs, postbackDeliveries } from '../db/schema/postback-configs.ts';
import { ApiError } from '../http/api-error.ts';
import { deliveryScope } from './postback-delivery-service.ts';
import { cancelStaleDeliveries } from './stale-deliveries.ts';

/** The most deliveries one call re-queues; the answer says when more matched. */
export const MAX_BULK_REPLAY = 10_000;

/** How often an affiliate may apply a bulk replay (dry runs are not counted; admins are not limited). */
export const BULK_REPLAY_INTERVAL_MS = 60_000;

/**
 * When each affiliate last applied a bulk replay, kept in the database so every control-plane
 * instance refuses alike (issue 13). Re-queued postbacks are sent to URLs the affiliate chose:
 * without a limit, one caller could have the workers send 10,000 requests a call, as often as it
 * likes, at any public host.
 */
export type BulkReplayThrottle = {
  /** Records an applied replay at `now`, or throws rate_limited if the caller's last one was too recent. */
  take(principal: Principal, now: Date): Promise<void>;
};

export function bulkReplayThrottle(db: Database, intervalMs = BULK_REPLAY_INTERVAL_MS): BulkReplayThrottle {
  return {
    async take(principal, now) {
      if (principal.role === 'admin' || principal.affiliateId === null) return;
      const key = `bulk-replay:affiliate:${principal.affiliateId}`;
      // One statement: the mark moves only if the last one is old enough, so two instances taking
      // it at once cannot both succeed.
      const taken = await queryRows<{ at: string }>(
        db,
        sql`INSERT INTO rate_marks (key, at) VALUES (${key}, ${now.toISOString()}::timestamptz)
            ON CONFLICT (key) DO UPDATE SET at = excluded.at
            WHERE rate_marks.at <= ${new Date(now.getTime() - intervalMs).toISOString()}::timestamptz
            RETURNING at`,
      );
      if (taken.length > 0) return;
      const [last] = await queryRows<{ at: string | Date }>(
        db,
        sql`SELECT at FROM rate_marks WHERE key = ${key}`,
      );
      const wait = last ? new Date(last.at).getTime() + intervalMs - now.getTime() : intervalMs;
      const seconds = Math.max(1, Math.ceil(wait / 1000));
      throw new ApiError(
        'rate_limited',
        `One applied bulk replay per ${Math.round(intervalMs / 1000)} s; try again in ${seconds} s ` +
          '(dry runs are not limited).',
        { retryAfterSeconds: seconds },
      );
    },
  };
}

export const bulkReplayRequestSchema = z
  .object({
    states: z
      .array(z.enum(['failed', 'disabled', 'delivered']))
      .min(1)
      .default(['failed', 'disabled'])
      .describe(
        'Which deliveries: failed (given up after the last retry), disabled (parked while the config was ' +
          'off), delivered (send again; admins only). Pending ones are queued already.',
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
    skippedStatusChanged: z
      .number()
      .int()
      .describe(
        'Matching deliveries not queued because their conversion no longer has the status that fired them ' +
          '(an approved postback of a conversion rejected since); applied, those not delivered are cancelled',
      ),
  })
  .meta({ id: 'PostbackBulkReplayResult' });
export type BulkReplayResult = z.infer<typeof bulkReplayResponseSchema>;

// A delivery is owed while its conversion has the status that fired it (stale-deliveries.ts).
const owed = sql`${postbackDeliveries.trigger}::text = ${conversions.status}::text`;
const notOwed = sql`${postbackDeliveries.trigger}::text <> ${conversions.status}::text`;

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
 * them again. So are those whose conversion no longer has the status that fired them (counted in
 * skippedStatusChanged; applied, the unsent ones are cancelled). Only admins may send delivered ones again; an affiliate applies at most one bulk
 * replay per `throttle` interval (dry runs are free).
 */
export async function bulkReplay(
  db: Database,
  principal: Principal,
  request: BulkReplayRequest,
  now: Date,
  throttle: BulkReplayThrottle = bulkReplayThrottle(db),
): Promise<BulkReplayResult> {
  if (request.states.includes('delivered') && principal.role !== 'admin') {
    throw new ApiError(
      'forbidden',
      'Only admins may replay delivered postbacks; replay failed or disabled ones, or a single delivery by id.',
    );
  }
  if (!request.dryRun) await throttle.take(principal, now);
  const where = matching(principal, request);
  const joined = () =>
    db
      .select({ id: postbackDeliveries.id })
      .from(postbackDeliveries)
      .innerJoin(postbackConfigs, eq(postbackConfigs.id, postbackDeliveries.postbackConfigId))
      .innerJoin(conversions, eq(conversions.id, postbackDeliveries.conversionId));
  const count = (condition: SQL | undefined) =>
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(postbackDeliveries)
      .innerJoin(postbackConfigs, eq(postbackConfigs.id, postbackDeliveries.postbackConfigId))
      .innerJoin(conversions, eq(conversions.id, postbackDeliveries.conversionId))
      .where(condition)
      .then(([row]) => row?.n ?? 0);
  const found = await joined()
    .where(and(where, owed, eq(postbackConfigs.isActive, true)))
    .orderBy(asc(postbackDeliveries.createdAt), asc(postbackDeliveries.id))
    .limit(request.limit + 1);
  const inactive = await count(and(where, owed, eq(postbackConfigs.isActive, false)));
  const notOwedAny = await count(and(where, notOwed));
  const ids = found.slice(0, request.limit).map((r) => r.id);
  const result = {
    dryRun: request.dryRun,
    limit: request.limit,
    moreMatched: found.length > request.limit,
    inactiveConfigs: inactive,
    skippedStatusChanged: notOwedAny,
  };
  if (request.dryRun) return { ...result, count: ids.length };
  // Ones still unsent are settled now, so their state says why they are not sent (up to limit a call).
  const stale = await joined()
    .where(and(where, notOwed, ne(postbackDeliveries.state, 'delivered')))
    .limit(request.limit);
  if (stale.length > 0) {
    await cancelStaleDeliveries(db, { deliveryIds: stale.map((r) => r.id) }, now);
  }
  if (ids.length === 0) return { ...result, count: 0 };
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
