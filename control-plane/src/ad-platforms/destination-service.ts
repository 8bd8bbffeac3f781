import { and, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import {
  type AdConversionDelivery,
  type AdConversionDestination,
  adConversionDeliveries,
  adConversionDestinations,
} from '../db/schema/ad-conversion-destinations.ts';
import { offers } from '../db/schema/offers.ts';
import { oneOrNotFound } from '../db/scoped-rows.ts';
import { ApiError } from '../http/api-error.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';
import {
  type DeliveryResponse,
  type DestinationResponse,
  type destinationCreateRequestSchema,
  type destinationUpdateRequestSchema,
  missingSetting,
  type replayRequestSchema,
} from './ad-platform-schemas.ts';
import { visibleConnection } from './connection-service.ts';

type Db = AdPlatformDeps['db'];
type Counts = DestinationResponse['counts'];

export function destinationScope(principal: Principal): SQL | undefined {
  if (principal.role === 'admin') return undefined;
  return eq(adConversionDestinations.advertiserId, principal.advertiserId ?? -1);
}

function show(row: AdConversionDestination, counts: Counts): DestinationResponse {
  return {
    id: row.id,
    advertiserId: row.advertiserId,
    offerId: row.offerId,
    connectionId: row.connectionId,
    platform: row.platform,
    name: row.name,
    settings: row.settings,
    sendOn: row.sendOn,
    consentPolicy: row.consentPolicy,
    testEventCode: row.testEventCode,
    status: row.status,
    pausedReason: row.pausedReason,
    pausedAt: row.pausedAt?.toISOString() ?? null,
    counts,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const NO_COUNTS: Counts = { pending: 0, sent: 0, rejected: 0, failed: 0, skipped: 0 };

async function countsOf(db: Db, ids: string[]): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({
      destinationId: adConversionDeliveries.destinationId,
      state: adConversionDeliveries.state,
      n: sql<number>`count(*)::int`,
    })
    .from(adConversionDeliveries)
    .where(inArray(adConversionDeliveries.destinationId, ids))
    .groupBy(adConversionDeliveries.destinationId, adConversionDeliveries.state);
  for (const r of rows) {
    const counts = out.get(r.destinationId) ?? { ...NO_COUNTS };
    counts[r.state] = Number(r.n);
    out.set(r.destinationId, counts);
  }
  return out;
}

export async function listDestinations(
  db: Db,
  principal: Principal,
  filter: { advertiserId?: number | undefined },
) {
  const rows = await db
    .select()
    .from(adConversionDestinations)
    .where(
      and(
        destinationScope(principal),
        filter.advertiserId === undefined
          ? undefined
          : eq(adConversionDestinations.advertiserId, filter.advertiserId),
      ),
    )
    .orderBy(desc(adConversionDestinations.createdAt))
    .limit(500);
  const counts = await countsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => show(r, counts.get(r.id) ?? NO_COUNTS));
}

export async function visibleDestination(db: Db, principal: Principal, id: string) {
  return oneOrNotFound(
    db
      .select()
      .from(adConversionDestinations)
      .where(and(eq(adConversionDestinations.id, id), destinationScope(principal))),
    `Destination ${id}`,
  );
}

export async function getDestination(db: Db, principal: Principal, id: string) {
  const row = await visibleDestination(db, principal, id);
  return show(row, (await countsOf(db, [row.id])).get(row.id) ?? NO_COUNTS);
}

export async function createDestination(
  deps: AdPlatformDeps,
  principal: Principal,
  input: z.infer<typeof destinationCreateRequestSchema>,
): Promise<DestinationResponse> {
  const connection = await visibleConnection(deps.db, principal, input.connectionId);
  const missing = missingSetting(connection.platform, input.settings);
  if (missing)
    throw new ApiError('invalid_request', `settings.${missing} is required for ${connection.platform}.`);
  if (input.offerId !== null) {
    // The advertiser's own offer only: another advertiser's conversions must never reach this account.
    await oneOrNotFound(
      deps.db
        .select({ id: offers.id })
        .from(offers)
        .where(and(eq(offers.id, input.offerId), eq(offers.advertiserId, connection.advertiserId))),
      `Offer ${input.offerId} of advertiser ${connection.advertiserId}`,
    );
  }
  const [row] = await deps.db
    .insert(adConversionDestinations)
    .values({
      advertiserId: connection.advertiserId,
      offerId: input.offerId,
      connectionId: connection.id,
      platform: connection.platform,
      name: input.name,
      settings: input.settings,
      sendOn: input.sendOn,
      consentPolicy: input.consentPolicy,
      testEventCode: input.testEventCode,
    })
    .returning();
  if (!row) throw new Error('destination not stored');
  return show(row, NO_COUNTS);
}

export async function updateDestination(
  deps: AdPlatformDeps,
  principal: Principal,
  id: string,
  input: z.infer<typeof destinationUpdateRequestSchema>,
  now = new Date(),
): Promise<DestinationResponse> {
  const row = await visibleDestination(deps.db, principal, id);
  if (input.settings) {
    const missing = missingSetting(row.platform, input.settings);
    if (missing)
      throw new ApiError('invalid_request', `settings.${missing} is required for ${row.platform}.`);
  }
  if (row.status === 'archived' && input.status && input.status !== 'archived')
    throw new ApiError('conflict', 'An archived destination stays archived; create a new one.');
  const resuming = input.status === 'active' && row.status !== 'active';
  const pausing = input.status === 'paused' && row.status !== 'paused';
  await deps.db
    .update(adConversionDestinations)
    .set({
      name: input.name,
      settings: input.settings,
      sendOn: input.sendOn,
      consentPolicy: input.consentPolicy,
      testEventCode: input.testEventCode,
      status: input.status,
      ...(resuming ? { pausedAt: null, pausedReason: null, authFailures: 0 } : {}),
      ...(pausing ? { pausedAt: now, pausedReason: 'Paused by hand.' } : {}),
      updatedAt: now,
    })
    .where(eq(adConversionDestinations.id, row.id));
  if (input.status === 'archived') {
    // What was owed and not sent will not be: said so on each, rather than left pending forever.
    await deps.db
      .update(adConversionDeliveries)
      .set({ state: 'skipped', skipReason: 'destination_archived', updatedAt: now })
      .where(
        and(eq(adConversionDeliveries.destinationId, row.id), eq(adConversionDeliveries.state, 'pending')),
      );
  }
  return getDestination(deps.db, principal, row.id);
}

function showDelivery(row: AdConversionDelivery): DeliveryResponse {
  return {
    id: row.id,
    destinationId: row.destinationId,
    conversionId: row.conversionId,
    kind: row.kind,
    state: row.state,
    skipReason: row.skipReason,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    lastHttpStatus: row.lastHttpStatus,
    lastResponse: row.lastResponse,
    sentAt: row.sentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A destination's log, newest first, a page of `limit` before the cursor (a delivery's createdAt). */
export async function listDeliveries(
  db: Db,
  principal: Principal,
  destinationId: string,
  query: {
    state?: AdConversionDelivery['state'] | undefined;
    conversionId?: string | undefined;
    before?: string | undefined;
    limit: number;
  },
) {
  const destination = await visibleDestination(db, principal, destinationId);
  const rows = await db
    .select()
    .from(adConversionDeliveries)
    .where(
      and(
        eq(adConversionDeliveries.destinationId, destination.id),
        query.state ? eq(adConversionDeliveries.state, query.state) : undefined,
        query.conversionId ? eq(adConversionDeliveries.conversionId, query.conversionId) : undefined,
        query.before ? lt(adConversionDeliveries.createdAt, new Date(query.before)) : undefined,
      ),
    )
    .orderBy(desc(adConversionDeliveries.createdAt), desc(adConversionDeliveries.id))
    .limit(query.limit);
  const last = rows.at(-1);
  return {
    data: rows.map(showDelivery),
    nextBefore: rows.length === query.limit && last ? last.createdAt.toISOString() : null,
  };
}

/**
 * Sends deliveries again: named ones, or every one in the given states. Each goes back to pending
 * with its attempts reset and is decided afresh (a skipped one may now be sent, or skipped again).
 * Sending a sent one again is safe: platforms dedupe on the event id, which does not change.
 */
export async function replayDeliveries(
  db: Db,
  principal: Principal,
  destinationId: string,
  input: z.infer<typeof replayRequestSchema>,
  now = new Date(),
) {
  const destination = await visibleDestination(db, principal, destinationId);
  if (destination.status === 'archived')
    throw new ApiError('conflict', 'An archived destination sends nothing.');
  const rows = await db
    .update(adConversionDeliveries)
    .set({ state: 'pending', skipReason: null, attempts: 0, nextAttemptAt: now, updatedAt: now })
    .where(
      and(
        eq(adConversionDeliveries.destinationId, destination.id),
        input.deliveryIds
          ? inArray(adConversionDeliveries.id, input.deliveryIds)
          : inArray(adConversionDeliveries.state, input.states),
        sql`${adConversionDeliveries.state} <> 'pending'`,
      ),
    )
    .returning({ id: adConversionDeliveries.id });
  return { queued: rows.length };
}
