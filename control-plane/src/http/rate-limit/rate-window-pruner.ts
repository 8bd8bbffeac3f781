import { type PeriodicTask, startPeriodicTask } from '../../background/periodic-task.ts';
import type { Database } from '../../db/database.ts';
import { pruneRateWindows } from './rate-window.ts';

/** Every 10 minutes, forgets the callers not seen in the last hour (rate_windows stays small). */
export function startRateWindowPruner(db: Database, options: { intervalMs?: number } = {}): PeriodicTask {
  return startPeriodicTask('rate windows prune', options.intervalMs ?? 600_000, () =>
    pruneRateWindows(db, new Date()),
  );
}
