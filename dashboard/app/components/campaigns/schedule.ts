import { formatDate, formatDateTime } from '~/lib/format';
import type { Campaign } from './campaign-labels';

/** Today's calendar day in UTC, the day budgets and schedules are counted in. */
export function utcToday(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** "Nov 20, 2026 – Dec 5, 2026", "From Dec 10, 2026", "Until …", or "No end date". */
export function formatSchedule(campaign: Pick<Campaign, 'startDate' | 'endDate'>): string {
  const { startDate, endDate } = campaign;
  if (startDate && endDate) return `${formatDate(startDate)} – ${formatDate(endDate)}`;
  if (startDate) return `From ${formatDate(startDate)}`;
  if (endDate) return `Until ${formatDate(endDate)}`;
  return 'No dates';
}

/** Where the campaign stands against its dates today (UTC): null while inside them. */
export function scheduleState(
  campaign: Pick<Campaign, 'startDate' | 'endDate'>,
  today = utcToday(),
): 'not_started' | 'ended' | null {
  if (campaign.startDate && today < campaign.startDate) return 'not_started';
  if (campaign.endDate && today > campaign.endDate) return 'ended';
  return null;
}

/**
 * Why a campaign is stopped by its budgets, in a sentence with the time it happened, or null:
 * the total budget (with the time it was reached) or today's daily budget (until 00:00 UTC).
 */
export function budgetStop(
  campaign: Pick<Campaign, 'budgetSpentAt' | 'dailyBudgetSpentOn'>,
  today = utcToday(),
): string | null {
  if (campaign.budgetSpentAt)
    return `Total budget spent on ${formatDateTime(campaign.budgetSpentAt)} UTC: clicks go to the offer’s fallback until the budget is raised.`;
  if (campaign.dailyBudgetSpentOn === today)
    return 'Today’s budget is spent: clicks go to the offer’s fallback until 00:00 UTC, when the daily budget starts again.';
  return null;
}
