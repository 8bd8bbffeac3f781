import { applyStatusUpdates } from '../conversions/advertiser-status-updates.ts';
import type { Database } from '../db/database.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { campaignsWithBudgets, syncBudgetState } from './campaign-budget-state.ts';

/**
 * Every `intervalMs`, applies advertiser status changes still waiting and re-evaluates all
 * budgeted campaigns. Ingestion and conversion changes already do both for what they touch; the
 * sweep catches what those could not finish (database busy, edge unreachable at that moment).
 */
export function startBudgetSweeper(
  deps: { db: Database; edge: EdgePublisher },
  options: { intervalMs?: number } = {},
) {
  const intervalMs = options.intervalMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    const now = new Date();
    running = applyStatusUpdates(deps.db, now)
      .then(() => campaignsWithBudgets(deps.db))
      .then((ids) => syncBudgetState(deps, ids, now))
      .then(() => undefined)
      .catch((error) => {
        console.error(JSON.stringify({ msg: 'budget sweep failed', error: String(error) }));
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
