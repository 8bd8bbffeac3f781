import { lt, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { rateWindows } from '../../db/schema/rate-windows.ts';

/** The length of a rate-limit window: limits are per minute. */
export const RATE_WINDOW_SECONDS = 60;

/** Start of the fixed window `now` falls in, aligned to the epoch so every instance agrees. */
export function windowStartOf(now: Date, windowSeconds = RATE_WINDOW_SECONDS): Date {
  const ms = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/**
 * Counts one request of `key` in the current window and returns the count so far, with the
 * window it was counted in. One statement: the row is created, moved to a new window (count 1)
 * or incremented. An instance whose clock lags behind the window already stored counts in that
 * window rather than moving the row back (GREATEST), so clocks a little apart do not reset it.
 */
export async function countRequest(
  db: Database,
  key: string,
  now: Date,
  windowSeconds = RATE_WINDOW_SECONDS,
): Promise<{ count: number; windowStart: Date }> {
  const [row] = await db
    .insert(rateWindows)
    .values({ key, windowStart: windowStartOf(now, windowSeconds), count: 1 })
    .onConflictDoUpdate({
      target: rateWindows.key,
      set: {
        count: sql`CASE WHEN excluded.window_start > ${rateWindows.windowStart} THEN 1 ELSE ${rateWindows.count} + 1 END`,
        windowStart: sql`GREATEST(excluded.window_start, ${rateWindows.windowStart})`,
      },
    })
    .returning({ count: rateWindows.count, windowStart: rateWindows.windowStart });
  if (!row) throw new Error('rate window upsert returned no row');
  return row;
}

/** Deletes the rows of callers not seen for `idleSeconds` (their window long over); returns how many. */
export async function pruneRateWindows(db: Database, now: Date, idleSeconds = 3600): Promise<number> {
  const before = new Date(now.getTime() - idleSeconds * 1000);
  const deleted = await db
    .delete(rateWindows)
    .where(lt(rateWindows.windowStart, before))
    .returning({ key: rateWindows.key });
  return deleted.length;
}
