import { randomUUID } from 'node:crypto';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { adConversionDestinations } from '../db/schema/ad-conversion-destinations.ts';
import { type AdPlatformConnection, adPlatformConnections } from '../db/schema/ad-platform-connections.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { oneOrNotFound } from '../db/scoped-rows.ts';
import { ApiError } from '../http/api-error.ts';
import { type AdPlatform, AdPlatformError } from './ad-platform.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';
import type {
  ConnectionResponse,
  connectionCreateRequestSchema,
  connectionUpdateRequestSchema,
} from './ad-platform-schemas.ts';
import { sealCredentials } from './connection-store.ts';

export function connectionScope(principal: Principal): SQL | undefined {
  if (principal.role === 'admin') return undefined;
  return eq(adPlatformConnections.advertiserId, principal.advertiserId ?? -1);
}

export function showConnection(row: AdPlatformConnection): ConnectionResponse {
  return {
    id: row.id,
    advertiserId: row.advertiserId,
    platform: row.platform,
    label: row.label,
    accountId: row.accountId,
    loginAccountId: row.loginAccountId,
    source: row.source,
    status: row.status,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
    accessTokenExpiresAt: row.accessTokenExpiresAt?.toISOString() ?? null,
    spendSyncedAt: row.spendSyncedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The advertiser a request acts for: advertisers their own, admins the one named (which must exist). */
export async function actingAdvertiser(
  db: AdPlatformDeps['db'],
  principal: Principal,
  named: number | undefined,
): Promise<number> {
  if (principal.role === 'advertiser') {
    if (principal.advertiserId === null)
      throw new ApiError('forbidden', 'No advertiser is linked to this user.');
    if (named !== undefined && named !== principal.advertiserId)
      throw new ApiError('forbidden', 'Advertisers manage their own ad-platform accounts.');
    return principal.advertiserId;
  }
  if (principal.role !== 'admin')
    throw new ApiError('forbidden', 'Only advertisers and admins connect ad platforms.');
  if (named === undefined) throw new ApiError('invalid_request', 'advertiserId is required for admins.');
  await oneOrNotFound(
    db.select({ id: advertisers.id }).from(advertisers).where(eq(advertisers.id, named)),
    `Advertiser ${named}`,
  );
  return named;
}

export async function listConnections(db: AdPlatformDeps['db'], principal: Principal, advertiserId?: number) {
  const rows = await db
    .select()
    .from(adPlatformConnections)
    .where(
      and(
        connectionScope(principal),
        advertiserId === undefined ? undefined : eq(adPlatformConnections.advertiserId, advertiserId),
      ),
    )
    .orderBy(desc(adPlatformConnections.createdAt))
    .limit(500);
  return rows.map(showConnection);
}

export async function visibleConnection(db: AdPlatformDeps['db'], principal: Principal, id: string) {
  return oneOrNotFound(
    db
      .select()
      .from(adPlatformConnections)
      .where(and(eq(adPlatformConnections.id, id), connectionScope(principal))),
    `Connection ${id}`,
  );
}

/** A connection by a pasted long-lived token (Meta system user, TikTok); OAuth ones come by the callback. */
export async function createConnection(
  deps: AdPlatformDeps,
  principal: Principal,
  input: z.infer<typeof connectionCreateRequestSchema>,
): Promise<ConnectionResponse> {
  const advertiserId = await actingAdvertiser(deps.db, principal, input.advertiserId);
  const id = randomUUID();
  const [row] = await deps.db
    .insert(adPlatformConnections)
    .values({
      id,
      advertiserId,
      platform: input.platform,
      label: input.label,
      accountId: input.accountId,
      loginAccountId: input.loginAccountId,
      credentials: sealCredentials(deps, id, {
        accessToken: input.accessToken,
        refreshToken: input.refreshToken,
      }),
      source: 'token',
      createdBy: principal.userId,
    })
    .returning();
  if (!row) throw new Error('connection not stored');
  return showConnection(row);
}

export async function updateConnection(
  deps: AdPlatformDeps,
  principal: Principal,
  id: string,
  input: z.infer<typeof connectionUpdateRequestSchema>,
): Promise<ConnectionResponse> {
  const row = await visibleConnection(deps.db, principal, id);
  const [updated] = await deps.db
    .update(adPlatformConnections)
    .set({
      label: input.label,
      accountId: input.accountId,
      loginAccountId: input.loginAccountId,
      ...(input.accessToken
        ? {
            credentials: sealCredentials(deps, row.id, { accessToken: input.accessToken }),
            accessTokenExpiresAt: null,
            source: 'token' as const,
            status: 'active' as const,
            lastError: null,
            lastErrorAt: null,
          }
        : {}),
    })
    .where(eq(adPlatformConnections.id, row.id))
    .returning();
  if (!updated) throw new Error('connection not updated');
  return showConnection(updated);
}

/**
 * Disconnects an account: its tokens are erased (not merely hidden), its destinations archived
 * (what they had not sent is skipped with the reason), its spend history kept for the ROI report.
 * Connecting it again by OAuth (`connectionId`) makes it active with new tokens. The grant itself
 * lives on the platform: the advertiser revokes it there.
 */
export async function disconnectConnection(
  deps: AdPlatformDeps,
  principal: Principal,
  id: string,
  now = new Date(),
) {
  const row = await visibleConnection(deps.db, principal, id);
  const [updated] = await deps.db.transaction(async (tx) => {
    await tx.execute(sql`
      UPDATE ad_conversion_deliveries a SET state = 'skipped', skip_reason = 'destination_archived', updated_at = now()
      FROM ad_conversion_destinations d
      WHERE a.destination_id = d.id AND d.connection_id = ${row.id} AND a.state = 'pending'`);
    await tx
      .update(adConversionDestinations)
      .set({ status: 'archived', updatedAt: now })
      .where(eq(adConversionDestinations.connectionId, row.id));
    return tx
      .update(adPlatformConnections)
      .set({ credentials: null, accessTokenExpiresAt: null, status: 'disconnected', updatedAt: now })
      .where(eq(adPlatformConnections.id, row.id))
      .returning();
  });
  if (!updated) throw new Error('connection not disconnected');
  return showConnection(updated);
}

/** An ad platform's error as the API answers it: not configured, or the platform's refusal with its message. */
export function platformApiError(error: unknown): ApiError {
  if (error instanceof AdPlatformError) {
    if (error.kind === 'not_configured') return new ApiError('platform_not_configured', error.message);
    return new ApiError('platform_error', `The platform answered: ${error.message}`);
  }
  if (error instanceof ApiError) return error;
  return new ApiError('platform_error', 'The platform could not be reached.');
}

export const PLATFORM_LABELS: Record<AdPlatform, string> = {
  meta: 'Meta',
  google: 'Google Ads',
  tiktok: 'TikTok',
  microsoft: 'Microsoft Advertising',
};
