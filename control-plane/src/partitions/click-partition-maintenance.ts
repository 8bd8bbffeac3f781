import { startPeriodicTask } from '../background/periodic-task.ts';
import type { Database } from '../db/database.ts';
import { dropExpiredClickPartitions, ensureClickPartitions } from './click-partitions.ts';

export type ClickPartitionSettings = {
  /** Days of partitions kept ready after today. */
  aheadDays: number;
  /** Raw clicks older than this many days are dropped; 0 keeps them all. */
  retentionDays: number;
};

/** One round: the days ahead created, then the expired days dropped. */
export async function maintainClickPartitions(
  db: Database,
  settings: ClickPartitionSettings,
  now: Date = new Date(),
): Promise<{ created: string[]; dropped: string[] }> {
  const created = await ensureClickPartitions(db, { now, aheadDays: settings.aheadDays });
  const dropped =
    settings.retentionDays > 0
      ? await dropExpiredClickPartitions(db, { now, retentionDays: settings.retentionDays })
      : [];
  if (created.length > 0 || dropped.length > 0)
    console.log(JSON.stringify({ msg: 'click partitions', created, dropped }));
  return { created, dropped };
}

/**
 * Hourly on every instance (they take turns on an advisory lock, and a partition another instance
 * is detaching is left to it): days are created a week ahead, so an instance down for days still
 * finds them.
 */
export function startClickPartitionMaintenance(
  db: Database,
  settings: ClickPartitionSettings,
  intervalMs = 3_600_000,
) {
  return startPeriodicTask('click partitions', intervalMs, () => maintainClickPartitions(db, settings));
}
