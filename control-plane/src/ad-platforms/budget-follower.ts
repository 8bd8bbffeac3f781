import { and, eq, sql } from 'drizzle-orm';
import { type PeriodicTask, startPeriodicTask } from '../background/periodic-task.ts';
import { queryRows } from '../db/database.ts';
import { adPlatformConnections } from '../db/schema/ad-platform-connections.ts';
import { adPlatformCampaigns } from '../db/schema/ad-spend.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';
import { CAMPAIGN_CLIENTS } from './platform-registry.ts';
import { callContext } from './spend-sync.ts';

type Followed = {
  connection_id: string;
  platform_campaign_id: string;
  status: 'active' | 'paused' | 'other';
  paused_by_budget_stop: boolean;
  stopped: boolean;
};

/**
 * Platform campaigns that follow a TAS campaign's budget (`pauseOnBudgetStop`): paused on the
 * platform while the TAS campaign is stopped at its total or today's daily budget, and resumed when
 * it serves again, but only those TAS paused (one paused by hand stays paused). Reads the stop from
 * the campaign rows the budget code keeps, so it needs no hook in the counting path.
 */
export async function followBudgetStops(deps: AdPlatformDeps, now = new Date()) {
  const today = now.toISOString().slice(0, 10);
  const rows = await queryRows<Followed>(
    deps.db,
    sql`
    SELECT pc.connection_id, pc.platform_campaign_id, pc.status, pc.paused_by_budget_stop,
           (c.budget_spent_at IS NOT NULL OR c.daily_budget_spent_on = ${today}::date) AS stopped
    FROM ad_platform_campaigns pc
    JOIN campaigns c ON c.id = pc.campaign_id
    JOIN ad_platform_connections k ON k.id = pc.connection_id AND k.status = 'active'
    WHERE pc.pause_on_budget_stop`,
  );
  let paused = 0;
  let resumed = 0;
  for (const row of rows) {
    const want =
      row.stopped && row.status === 'active'
        ? 'paused'
        : !row.stopped && row.paused_by_budget_stop
          ? 'active'
          : null;
    if (want === null) continue;
    const [connection] = await deps.db
      .select()
      .from(adPlatformConnections)
      .where(eq(adPlatformConnections.id, row.connection_id));
    const setStatus = connection ? CAMPAIGN_CLIENTS[connection.platform].setCampaignStatus : undefined;
    if (!connection || !setStatus) continue;
    try {
      await setStatus(row.platform_campaign_id, want, await callContext(deps, connection, now));
    } catch (error) {
      console.error(
        JSON.stringify({
          msg: 'budget follower could not set a campaign',
          campaign: row.platform_campaign_id,
          error: String(error),
        }),
      );
      continue;
    }
    await deps.db
      .update(adPlatformCampaigns)
      .set({ status: want, pausedByBudgetStop: want === 'paused', updatedAt: now })
      .where(
        and(
          eq(adPlatformCampaigns.connectionId, row.connection_id),
          eq(adPlatformCampaigns.platformCampaignId, row.platform_campaign_id),
        ),
      );
    if (want === 'paused') paused++;
    else resumed++;
  }
  return { paused, resumed };
}

export function startBudgetFollower(deps: AdPlatformDeps, intervalMs = 60_000): PeriodicTask {
  return startPeriodicTask('ad budget follower', intervalMs, () => followBudgetStops(deps));
}
