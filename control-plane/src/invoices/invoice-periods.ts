import { z } from 'zod';
import type { InvoicePeriod } from '../billing/billing-settings.ts';
import { isoWeek } from '../payouts/payout-schedule.ts';

/** A billing period: UTC, half-open [start, end), named `2026-11` (month) or `2026-W48` (ISO week). */
export type BillingPeriod = { name: string; kind: InvoicePeriod; start: Date; end: Date };

const DAY = 86_400_000;

/** The ISO week name of the week starting on Monday `monday` (UTC midnight). */
function weekName(monday: Date): string {
  const { year, week } = isoWeek(monday);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The month or ISO week (Monday 00:00 UTC first) holding `at`. */
export function periodContaining(at: Date, kind: InvoicePeriod): BillingPeriod {
  if (kind === 'monthly') {
    const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
    const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
    return {
      name: `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`,
      kind,
      start,
      end,
    };
  }
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = new Date(day).getUTCDay() || 7;
  const start = new Date(day - (weekday - 1) * DAY);
  return { name: weekName(start), kind, start, end: new Date(start.getTime() + 7 * DAY) };
}

/**
 * The latest period that ended at least `settleMs` before `now`. The wait lets a transaction that
 * began before the period's end (its ledger rows carry that start time) commit before the period is
 * read: the run must see every movement of the period, once.
 */
export function lastEndedPeriod(now: Date, kind: InvoicePeriod, settleMs = 0): BillingPeriod {
  const current = periodContaining(new Date(now.getTime() - settleMs), kind);
  return periodContaining(new Date(current.start.getTime() - 1), kind);
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const WEEK = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** A period's name as the API takes it: `2026-11` or `2026-W48`. */
export const periodNameSchema = z
  .string()
  .regex(new RegExp(`${MONTH.source}|${WEEK.source}`), 'a month (2026-11) or an ISO week (2026-W48)')
  .describe('A UTC month (2026-11) or ISO week, Monday first (2026-W48)');

/** The period a name stands for, or null when there is no such month or week. */
export function periodNamed(name: string): BillingPeriod | null {
  const month = MONTH.exec(name);
  if (month)
    return periodContaining(new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1)), 'monthly');
  const week = WEEK.exec(name);
  if (!week) return null;
  // ISO week 1 is the week holding 4 January; a year has 52 or 53 weeks.
  const jan4 = new Date(Date.UTC(Number(week[1]), 0, 4));
  const first = periodContaining(jan4, 'weekly');
  const period = periodContaining(
    new Date(first.start.getTime() + (Number(week[2]) - 1) * 7 * DAY),
    'weekly',
  );
  return period.name === name ? period : null;
}
