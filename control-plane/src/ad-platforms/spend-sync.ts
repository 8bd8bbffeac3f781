import { eq, sql } from 'drizzle-orm';
import { type PeriodicTask, startPeriodicTask } from '../background/periodic-task.ts';
import { type AdPlatformConnection, adPlatformConnections } from '../db/schema/ad-platform-connections.ts';
import { adPlatformCampaigns, adSpendDays } from '../db/schema/ad-spend.ts';
import { AdPlatformError, type PlatformCallContext } from './ad-platform.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';
import { markNeedsReauth, usableConnection } from './connection-store.ts';
import { CAMPAIGN_CLIENTS } from './platform-registry.ts';

/** Days read back each time: platforms restate recent days' cost (late clicks, invalid-click credits). */
export const SPEND_LOOKBACK_DAYS = 7;

const day = (d: Date) => d.toISOString().slice(0, 10);

export function spendRange(now: Date, days = SPEND_LOOKBACK_DAYS) {
  return { from: day(new Date(now.getTime() - (days - 1) * 86_400_000)), to: day(now) };
}

export async function callContext(
  deps: AdPlatformDeps,
  row: AdPlatformConnection,
  now: Date,
): Promise<PlatformCallContext> {
  return {
    connection: await usableConnection(deps, row, now),
    endpoints: deps.endpoints,
    apps: deps.apps,
    fetch: deps.fetch,
    timeoutMs: deps.timeoutMs,
  };
}

/**
 * Lists a connection's campaigns and reads its daily cost for the range, replacing what was stored
 * for those days (the platform's latest figures win). Mapping to TAS offers is kept across syncs.
 * A refused token marks the connection `needs_reauth`; the advertiser sees it on the page.
 */
export async function syncConnectionSpend(
  deps: AdPlatformDeps,
  row: AdPlatformConnection,
  range = spendRange(new Date()),
  now = new Date(),
) {
  const client = CAMPAIGN_CLIENTS[row.platform];
  try {
    const context = await callContext(deps, row, now);
    const campaigns = await client.listCampaigns(context);
    const spend = client.readSpend ? await client.readSpend(range, context) : [];
    await deps.db.transaction(async (tx) => {
      const seen = new Map(campaigns.map((c) => [c.platformCampaignId, c]));
      // Campaigns with spend but gone from the listing (deleted on the platform) still need a row to map.
      for (const s of spend) {
        if (!seen.has(s.platformCampaignId))
          seen.set(s.platformCampaignId, {
            platformCampaignId: s.platformCampaignId,
            name: s.campaignName,
            status: 'other',
          });
      }
      for (const c of seen.values()) {
        await tx
          .insert(adPlatformCampaigns)
          .values({
            connectionId: row.id,
            platformCampaignId: c.platformCampaignId,
            name: c.name,
            status: c.status,
          })
          .onConflictDoUpdate({
            target: [adPlatformCampaigns.connectionId, adPlatformCampaigns.platformCampaignId],
            set: { name: c.name, status: c.status, updatedAt: now },
          });
      }
      if (client.readSpend) {
        await tx.execute(sql`
          DELETE FROM ad_spend_days WHERE connection_id = ${row.id} AND day BETWEEN ${range.from}::date AND ${range.to}::date`);
        if (spend.length > 0) {
          await tx.insert(adSpendDays).values(
            spend.map((s) => ({
              connectionId: row.id,
              platformCampaignId: s.platformCampaignId,
              day: s.day,
              currency: s.currency,
              costMinor: s.costMinor,
              impressions: s.impressions,
              clicks: s.clicks,
              syncedAt: now,
            })),
          );
        }
      }
      await tx
        .update(adPlatformConnections)
        .set({ spendSyncedAt: now, lastError: null, lastErrorAt: null })
        .where(eq(adPlatformConnections.id, row.id));
    });
    return {
      campaigns: campaigns.length,
      spendDays: spend.length,
      spendSupported: client.readSpend !== undefined,
    };
  } catch (error) {
    if (error instanceof AdPlatformError && error.kind === 'auth') {
      await markNeedsReauth(deps, row.id, error.message, now);
    } else {
      await deps.db
        .update(adPlatformConnections)
        .set({
          lastError: error instanceof Error ? error.message.slice(0, 500) : 'sync failed',
          lastErrorAt: now,
        })
        .where(eq(adPlatformConnections.id, row.id));
    }
    throw error;
  }
}

/** Every active connection, one after the other, every `intervalMs`; one failing does not stop the rest. */
export function startSpendSync(deps: AdPlatformDeps, intervalMs: number): PeriodicTask {
  return startPeriodicTask('ad spend sync', intervalMs, async () => {
    const rows = await deps.db
      .select()
      .from(adPlatformConnections)
      .where(eq(adPlatformConnections.status, 'active'));
    for (const row of rows) {
      await syncConnectionSpend(deps, row).catch((error: unknown) => {
        console.error(
          JSON.stringify({ msg: 'ad spend sync failed', connectionId: row.id, error: String(error) }),
        );
      });
    }
  });
}
