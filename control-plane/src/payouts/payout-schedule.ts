import { eq } from 'drizzle-orm';
import { type PeriodicTask, startPeriodicTask } from '../background/periodic-task.ts';
import { affiliatePayoutSettings } from '../db/schema/payouts.ts';
import { type PayoutRunDeps, startRun } from './payout-run.ts';
import {
  type NetworkPayoutSettings,
  type PayoutSchedule,
  readNetworkPayoutSettings,
} from './payout-settings.ts';

/** ISO 8601 week of a UTC day: its year (of the week's Thursday) and number. */
export function isoWeek(date: Date): { year: number; week: number; weekday: number } {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return { year: day.getUTCFullYear(), week, weekday };
}

/**
 * The period a scheduled run is due for at `now`, or null when none is due yet: a weekly run is
 * due from its weekday to the end of the ISO week, a monthly run from its day to the end of the
 * month (UTC), so a control plane that was down on the day still pays once it is back. The key
 * names the period: at most one run per key (unique in payout_runs).
 */
export function duePeriod(
  now: Date,
  network: NetworkPayoutSettings,
  schedule: PayoutSchedule,
): string | null {
  if (schedule === 'weekly') {
    const { year, week, weekday } = isoWeek(now);
    return weekday >= network.weeklyDay ? `weekly:${year}-W${String(week).padStart(2, '0')}` : null;
  }
  if (now.getUTCDate() < network.monthlyDay) return null;
  return `monthly:${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * When the network pays automatically, starts each schedule's run that is due and not started
 * for its period yet; the runs pay the affiliates on that schedule (their own, else the
 * network's). Answers the keys of the runs started.
 */
export async function startDuePayoutRuns(deps: PayoutRunDeps): Promise<string[]> {
  const network = await readNetworkPayoutSettings(deps.db);
  if (!network.automatic) return [];
  const now = deps.now?.() ?? new Date();
  const started: string[] = [];
  for (const schedule of ['weekly', 'monthly'] as const) {
    const periodKey = duePeriod(now, network, schedule);
    if (!periodKey) continue;
    // A schedule no affiliate is on needs no runs.
    if (schedule !== network.schedule) {
      const [someone] = await deps.db
        .select({ id: affiliatePayoutSettings.affiliateId })
        .from(affiliatePayoutSettings)
        .where(eq(affiliatePayoutSettings.schedule, schedule))
        .limit(1);
      if (!someone) continue;
    }
    const run = await startRun(deps, { startedBy: null, periodKey, schedule });
    if (run) started.push(periodKey);
  }
  return started;
}

/** The control plane's payout scheduler: looks every `intervalMs` (default 15 minutes). */
export function startPayoutScheduler(deps: PayoutRunDeps, intervalMs = 15 * 60_000): PeriodicTask {
  return startPeriodicTask('payout scheduler', intervalMs, () => startDuePayoutRuns(deps));
}
