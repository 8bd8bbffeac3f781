import {
  addDays,
  type DateRange,
  hourIn,
  isTimeZone,
  type Preset,
  presetRange,
  previousRange,
  todayIn,
} from '~/components/reports/report-view';

/** The periods of the dashboard, in the URL as `period`. */
export const DASHBOARD_PERIODS = ['today', '7d', '30d'] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number];

export const PERIOD_LABEL: Record<DashboardPeriod, string> = {
  today: 'Today',
  '7d': '7 days',
  '30d': '30 days',
};

const PRESET: Record<
  DashboardPeriod,
  Exclude<Preset, 'custom' | 'this_month' | 'last_month' | 'yesterday'>
> = {
  today: 'today',
  '7d': 'last_7_days',
  '30d': 'last_30_days',
};

export type DashboardWindow = {
  period: DashboardPeriod;
  timezone: string;
  range: DateRange;
  previous: DateRange;
  granularity: 'hour' | 'day';
  /**
   * Today is compared with yesterday up to the same hour (a whole yesterday against a morning
   * would always look like a fall): hours of the previous period after this one are left out of
   * its totals. Null for whole days.
   */
  untilHour: number | null;
  /** The report builder's preset for the same days. */
  preset: Preset;
};

/** The period a URL asks for (7 days unless it says otherwise), in `timezone`, at `now`. */
export function dashboardWindow(
  params: URLSearchParams,
  timezone: string,
  now: Date = new Date(),
): DashboardWindow {
  const asked = params.get('period');
  const period = (DASHBOARD_PERIODS as readonly string[]).includes(asked ?? '')
    ? (asked as DashboardPeriod)
    : '7d';
  const tz = isTimeZone(timezone) ? timezone : 'UTC';
  const today = todayIn(tz, now);
  const range = presetRange(PRESET[period], today);
  return {
    period,
    timezone: tz,
    range,
    previous:
      period === 'today' ? { from: addDays(today, -1), to: addDays(today, -1) } : previousRange(range),
    granularity: period === 'today' ? 'hour' : 'day',
    untilHour: period === 'today' ? hourIn(tz, now) : null,
    preset: PRESET[period],
  };
}
