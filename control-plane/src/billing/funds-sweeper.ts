import { type PeriodicTask, startPeriodicTask } from '../background/periodic-task.ts';
import { advertisersToSweep } from './funds-candidates.ts';
import { type FundsDeps, syncFundsState } from './funds-stop.ts';

/**
 * Every `intervalMs`, re-evaluates the funds of every advertiser whose money can run out (or whose
 * offers are stopped). Ingests, conversion changes, top-ups and terms already do it for what they
 * touch; the sweep catches what those could not finish (edge unreachable, database busy) and
 * offers that went live in a currency since.
 */
export function startFundsSweeper(deps: FundsDeps, options: { intervalMs?: number } = {}): PeriodicTask {
  return startPeriodicTask('funds sweep', options.intervalMs ?? 60_000, async () => {
    const now = new Date();
    // One advertiser at a time: one whose offers cannot be published must not hold back the rest.
    for (const id of await advertisersToSweep(deps.db)) {
      await syncFundsState(deps, [id], now).catch((error: unknown) => {
        console.error(
          JSON.stringify({
            msg: 'funds sweep: advertiser not synced',
            advertiserId: id,
            error: String(error),
          }),
        );
      });
    }
  });
}
