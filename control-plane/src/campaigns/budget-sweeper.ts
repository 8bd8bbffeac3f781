import { type PeriodicTask, startPeriodicTask } from '../background/periodic-task.ts';
import { applyStatusUpdates, expireOrphanedStatusUpdates } from '../conversions/advertiser-status-updates.ts';
import { type BudgetDeps, campaignsWithBudgets, syncBudgetState } from './campaign-budget-state.ts';

/**
 * Every `intervalMs`, applies advertiser status changes still waiting (and gives up those whose
 * conversion never came), and re-evaluates all
 * budgeted campaigns. Ingestion and conversion changes already do both for what they touch; the
 * sweep catches what those could not finish (database busy, edge unreachable at that moment).
 */
export function startBudgetSweeper(deps: BudgetDeps, options: { intervalMs?: number } = {}): PeriodicTask {
  return startPeriodicTask('budget sweep', options.intervalMs ?? 60_000, async () => {
    const now = new Date();
    await applyStatusUpdates(deps.db, now);
    await expireOrphanedStatusUpdates(deps.db, now);
    // One campaign at a time: an offer that cannot be published (edge down, a config the edge
    // would refuse) must not hold back the stops of every other campaign.
    for (const id of await campaignsWithBudgets(deps.db)) {
      await syncBudgetState(deps, [id], now).catch((error: unknown) => {
        console.error(
          JSON.stringify({ msg: 'budget sweep: campaign not synced', campaignId: id, error: String(error) }),
        );
      });
    }
  });
}
