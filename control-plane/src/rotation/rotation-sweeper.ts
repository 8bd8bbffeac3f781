import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { type PeriodicTask, startPeriodicTask } from '../background/periodic-task.ts';
import type { Database } from '../db/database.ts';
import { offers } from '../db/schema/offers.ts';
import { offerRotationSettings } from '../db/schema/rotation.ts';
import { type RecomputeResult, type RotationDeps, recomputeRotation } from './recompute-rotation.ts';
import { freshSeed, seededRandom } from './seeded-random.ts';

/** Live offers in bandit mode whose interval has passed since the bandit last ran (or never ran). */
export async function offersDueForRotation(db: Database, now: Date): Promise<number[]> {
  const rows = await db
    .select({ id: offerRotationSettings.offerId })
    .from(offerRotationSettings)
    .innerJoin(offers, eq(offers.id, offerRotationSettings.offerId))
    .where(
      and(
        eq(offerRotationSettings.mode, 'bandit'),
        inArray(offers.status, ['active', 'paused']),
        or(
          isNull(offerRotationSettings.computedAt),
          lte(
            offerRotationSettings.computedAt,
            sql`${now.toISOString()}::timestamptz - make_interval(mins => ${offerRotationSettings.intervalMinutes})`,
          ),
        ),
      ),
    )
    .orderBy(offerRotationSettings.offerId);
  return rows.map((r) => r.id);
}

/** One sweep: every offer that is due, one at a time, a failing one logged and left for the next. */
export async function sweepRotation(deps: RotationDeps, now: Date): Promise<RecomputeResult[]> {
  const results: RecomputeResult[] = [];
  for (const offerId of await offersDueForRotation(deps.db, now)) {
    try {
      results.push(await recomputeRotation(deps, offerId, now, seededRandom(freshSeed())));
    } catch (error) {
      console.error(JSON.stringify({ msg: 'rotation: offer not recomputed', offerId, error: String(error) }));
    }
  }
  return results;
}

/**
 * Every `intervalMs` (a minute), recomputes the offers in bandit mode whose own interval has
 * passed, and publishes those whose weights moved (docs/decisions/027-rotation-bandit.md).
 */
export function startRotationSweeper(
  deps: RotationDeps,
  options: { intervalMs?: number } = {},
): PeriodicTask {
  return startPeriodicTask('rotation sweep', options.intervalMs ?? 60_000, () =>
    sweepRotation(deps, new Date()),
  );
}
