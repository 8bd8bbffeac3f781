import { lt } from 'drizzle-orm';
import { type PeriodicTask, startPeriodicTask } from '../background/periodic-task.ts';
import type { Database } from '../db/database.ts';
import { ingestMinutes } from '../db/schema/ingest-minutes.ts';

/** How long the per-minute ingest figures are kept: the system view looks back a day at most. */
export const INGEST_MINUTES_KEPT_DAYS = 7;

/** Deletes per-minute ingest figures older than the days kept; returns how many rows went. */
export async function pruneIngestMinutes(db: Database, now: Date): Promise<number> {
  const before = new Date(now.getTime() - INGEST_MINUTES_KEPT_DAYS * 86_400_000);
  const deleted = await db
    .delete(ingestMinutes)
    .where(lt(ingestMinutes.minute, before))
    .returning({ minute: ingestMinutes.minute });
  return deleted.length;
}

/** Prunes the per-minute ingest figures every hour. */
export function startIngestMinutesPruner(db: Database, options: { intervalMs?: number } = {}): PeriodicTask {
  return startPeriodicTask('ingest minutes prune', options.intervalMs ?? 3_600_000, () =>
    pruneIngestMinutes(db, new Date()),
  );
}
