import type { components, paths } from '~/api/schema';

/**
 * A report as the URL holds it: every choice of the report builder is a search parameter, so a
 * view can be bookmarked and shared, and the loader reads the same state the page shows. Pure
 * functions only (no React, no server): the dashboard and the report builder both use them.
 */

export type Role = 'admin' | 'advertiser' | 'affiliate';
export type ReportRow = components['schemas']['ReportRow'];
export type ReportApiQuery = NonNullable<paths['/api/v1/reports']['get']['parameters']['query']>;

export const DIMENSIONS = [
  'offer',
  'affiliate',
  'advertiser',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'country',
  'device',
  'creative',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABEL: Record<Dimension, string> = {
  offer: 'Offer',
  affiliate: 'Affiliate',
  advertiser: 'Advertiser',
  sub1: 'Sub 1',
  sub2: 'Sub 2',
  sub3: 'Sub 3',
  sub4: 'Sub 4',
  sub5: 'Sub 5',
  country: 'Country',
  device: 'Device',
  creative: 'Creative',
};

/** The report row's field that holds each dimension. */
export const DIMENSION_FIELD: Record<Dimension, keyof ReportRow> = {
  offer: 'offerId',
  affiliate: 'affiliateId',
  advertiser: 'advertiserId',
  sub1: 'sub1',
  sub2: 'sub2',
  sub3: 'sub3',
  sub4: 'sub4',
  sub5: 'sub5',
  country: 'country',
  device: 'device',
  creative: 'creativeId',
};

/** What each role may group by: its own company is no dimension for it. */
export function dimensionsFor(role: Role): Dimension[] {
  if (role === 'affiliate') return DIMENSIONS.filter((d) => d !== 'affiliate' && d !== 'advertiser');
  if (role === 'advertiser') return DIMENSIONS.filter((d) => d !== 'advertiser');
  return [...DIMENSIONS];
}

/** Which of offer / affiliate / advertiser a role may filter by (the API pins its own company). */
export function filtersFor(role: Role): ('offer' | 'affiliate' | 'advertiser')[] {
  if (role === 'affiliate') return ['offer'];
  if (role === 'advertiser') return ['offer', 'affiliate'];
  return ['offer', 'affiliate', 'advertiser'];
}

export const PRESETS = [
  'today',
  'yesterday',
  'last_7_days',
  'last_30_days',
  'this_month',
  'last_month',
  'custom',
] as const;
export type Preset = (typeof PRESETS)[number];

export const PRESET_LABEL: Record<Preset, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  last_7_days: 'Last 7 days',
  last_30_days: 'Last 30 days',
  this_month: 'This month',
  last_month: 'Last month',
  custom: 'Custom range',
};

export type Granularity = 'day' | 'hour' | 'total';
export type DateRange = { from: string; to: string };

export const METRICS = [
  'clicks',
  'cleanClicks',
  'conversions',
  'cr',
  'revenue',
  'payout',
  'profit',
  'epc',
] as const;
export type Metric = (typeof METRICS)[number];

/** The money each role sees (the API leaves out the rest). */
export function moneyFor(role: Role): ('revenue' | 'payout' | 'profit')[] {
  if (role === 'affiliate') return ['payout'];
  if (role === 'advertiser') return ['revenue'];
  return ['revenue', 'payout', 'profit'];
}

export function metricsFor(role: Role): Metric[] {
  const money = moneyFor(role);
  return METRICS.filter((m) => {
    if (m === 'revenue' || m === 'payout' || m === 'profit') return money.includes(m);
    return true;
  });
}

/** Metric names as each role reads them: what an advertiser pays is its cost, not its revenue. */
export function metricLabel(metric: Metric, role: Role): string {
  switch (metric) {
    case 'clicks':
      return 'Clicks';
    case 'cleanClicks':
      return 'Clean clicks';
    case 'conversions':
      return 'Conversions';
    case 'cr':
      return 'CR';
    case 'revenue':
      return role === 'advertiser' ? 'Cost' : 'Revenue';
    case 'payout':
      return role === 'affiliate' ? 'Earnings' : 'Payout';
    case 'profit':
      return 'Profit';
    case 'epc':
      return role === 'advertiser' ? 'CPC' : 'EPC';
  }
}

/** Sortable columns of the report table. */
export const SORT_KEYS = [
  'period',
  'clicks',
  'uniqueClicks',
  'cleanClicks',
  'invalidClicks',
  'conversions',
  'approvedConversions',
  'pendingConversions',
  'rejectedConversions',
  'cr',
  'epc',
  'revenue',
  'payout',
  'profit',
  'margin',
] as const;
export type SortKey = (typeof SORT_KEYS)[number] | Dimension;

export type ReportView = {
  preset: Preset;
  range: DateRange;
  timezone: string;
  granularity: Granularity;
  groupBy: Dimension[];
  offerId: number | null;
  affiliateId: number | null;
  advertiserId: number | null;
  compare: boolean;
  metric: Metric;
  /** The currency money metrics are charted in (null: the one with the most). */
  currency: string | null;
  sort: { key: SortKey; desc: boolean };
  page: number;
};

export const PAGE_SIZE = 50;
const MAX_DAYS = 366;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[1-9]\d{0,9}$/;

/** Whether `tz` is an IANA zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The calendar day it is at `now` in `timeZone`, YYYY-MM-DD. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** The hour of the day (0-23) at `now` in `timeZone`. */
export function hourIn(timeZone: string, now: Date = new Date()): number {
  const hour = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now);
  return Number(hour) % 24;
}

/** Calendar arithmetic on YYYY-MM-DD (in UTC, where every day has 24 hours). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysIn(range: DateRange): number {
  return (
    Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / 86_400_000) + 1
  );
}

function isDate(value: string | null): value is string {
  return value !== null && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** The days a preset covers, ending today in the viewer's zone. */
export function presetRange(preset: Exclude<Preset, 'custom'>, today: string): DateRange {
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'last_7_days':
      return { from: addDays(today, -6), to: today };
    case 'last_30_days':
      return { from: addDays(today, -29), to: today };
    case 'this_month':
      return { from: `${today.slice(0, 8)}01`, to: today };
    case 'last_month': {
      const firstOfThis = `${today.slice(0, 8)}01`;
      const lastOfPrevious = addDays(firstOfThis, -1);
      return { from: `${lastOfPrevious.slice(0, 8)}01`, to: lastOfPrevious };
    }
  }
}

/**
 * The period just before, as long: what a view is compared with. A month is compared with the
 * month before (as many days as it has, capped at that month's length).
 */
export function previousRange(range: DateRange, preset?: Preset): DateRange {
  if (preset === 'this_month' || preset === 'last_month') {
    const firstOfPrevious = addDays(range.from, -1).slice(0, 8).concat('01');
    const lastOfPrevious = addDays(range.from, -1);
    const to = addDays(firstOfPrevious, daysIn(range) - 1);
    // The earlier of the two days (ISO dates sort as strings).
    return { from: firstOfPrevious, to: [to, lastOfPrevious].sort()[0] ?? to };
  }
  const length = daysIn(range);
  return { from: addDays(range.from, -length), to: addDays(range.from, -1) };
}

function oneOf<T extends string>(value: string | null, options: readonly T[], fallback: T): T {
  return value !== null && (options as readonly string[]).includes(value) ? (value as T) : fallback;
}

function idOf(value: string | null): number | null {
  return value !== null && ID.test(value) ? Number(value) : null;
}

/**
 * The report a URL asks for, for this role, with everything it leaves out filled in (and
 * anything it cannot have dropped): unknown values fall back, never fail the page.
 * `timezone` is the zone to use when the URL names none (the browser's, or UTC on the server).
 */
export function parseReportView(
  params: URLSearchParams,
  role: Role,
  options: {
    now?: Date;
    timezone?: string;
    defaults?: Partial<Pick<ReportView, 'preset' | 'granularity'>>;
  } = {},
): ReportView {
  const tzParam = params.get('tz');
  const timezone = tzParam && isTimeZone(tzParam) ? tzParam : (options.timezone ?? 'UTC');
  const today = todayIn(timezone, options.now);
  let preset = oneOf(params.get('range'), PRESETS, options.defaults?.preset ?? 'last_7_days');
  let range: DateRange;
  const from = params.get('from');
  const to = params.get('to');
  if (preset === 'custom' && isDate(from) && isDate(to) && from <= to) {
    range = { from, to: daysIn({ from, to }) > MAX_DAYS ? addDays(from, MAX_DAYS - 1) : to };
  } else {
    if (preset === 'custom') preset = 'last_7_days';
    range = presetRange(preset as Exclude<Preset, 'custom'>, today);
  }
  const dims = dimensionsFor(role);
  const groupBy = [
    ...new Set(
      (params.get('groupBy') ?? '')
        .split(',')
        .map((d) => d.trim())
        .filter((d): d is Dimension => (dims as string[]).includes(d)),
    ),
  ].slice(0, 6);
  const filters = filtersFor(role);
  const metrics = metricsFor(role);
  const sortParam = params.get('sort') ?? '';
  const [sortKey = '', direction] = sortParam.split(':');
  const sortable = [...SORT_KEYS, ...groupBy] as string[];
  const granularity = oneOf(
    params.get('granularity'),
    ['day', 'hour', 'total'] as const,
    options.defaults?.granularity ?? 'day',
  );
  // Hours over more than a month are too many to read: a long range falls back to days.
  const fittedGranularity = granularity === 'hour' && daysIn(range) > 31 ? 'day' : granularity;
  const page = Number(params.get('page') ?? '1');
  return {
    preset,
    range,
    timezone,
    granularity: fittedGranularity,
    groupBy,
    offerId: filters.includes('offer') ? idOf(params.get('offerId')) : null,
    affiliateId: filters.includes('affiliate') ? idOf(params.get('affiliateId')) : null,
    advertiserId: filters.includes('advertiser') ? idOf(params.get('advertiserId')) : null,
    compare: params.get('compare') !== '0',
    metric: oneOf(params.get('metric'), metrics, 'clicks'),
    currency: /^[A-Z]{3}$/.test(params.get('currency') ?? '') ? params.get('currency') : null,
    sort: sortable.includes(sortKey)
      ? { key: sortKey as SortKey, desc: direction !== 'asc' }
      : fittedGranularity === 'total'
        ? { key: 'clicks', desc: true }
        : { key: 'period', desc: true },
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

/** The URL search of a view, with only what differs from the defaults, in a stable order. */
export function viewSearchParams(view: ReportView, changes: Partial<ReportView> = {}): URLSearchParams {
  const v = { ...view, ...changes };
  const params = new URLSearchParams();
  params.set('range', v.preset);
  if (v.preset === 'custom') {
    params.set('from', v.range.from);
    params.set('to', v.range.to);
  }
  params.set('tz', v.timezone);
  if (v.granularity !== 'day') params.set('granularity', v.granularity);
  if (v.groupBy.length) params.set('groupBy', v.groupBy.join(','));
  if (v.offerId) params.set('offerId', String(v.offerId));
  if (v.affiliateId) params.set('affiliateId', String(v.affiliateId));
  if (v.advertiserId) params.set('advertiserId', String(v.advertiserId));
  if (!v.compare) params.set('compare', '0');
  if (v.metric !== 'clicks') params.set('metric', v.metric);
  if (v.currency) params.set('currency', v.currency);
  params.set('sort', `${v.sort.key}:${v.sort.desc ? 'desc' : 'asc'}`);
  if (v.page > 1) params.set('page', String(v.page));
  return params;
}

/** The API query of a view (or of its previous period, or a variant for a chart). */
export function apiQuery(
  view: Pick<
    ReportView,
    'range' | 'timezone' | 'granularity' | 'groupBy' | 'offerId' | 'affiliateId' | 'advertiserId'
  >,
  overrides: Partial<Pick<ReportView, 'range' | 'granularity' | 'groupBy'>> = {},
): ReportApiQuery & { from: string; to: string } {
  const range = overrides.range ?? view.range;
  const groupBy = overrides.groupBy ?? view.groupBy;
  const query: ReportApiQuery & { from: string; to: string } = {
    from: range.from,
    to: range.to,
    timezone: view.timezone,
    granularity: overrides.granularity ?? view.granularity,
  };
  if (groupBy.length) query.groupBy = groupBy.join(',');
  if (view.offerId) query.offerId = String(view.offerId);
  if (view.affiliateId) query.affiliateId = String(view.affiliateId);
  if (view.advertiserId) query.advertiserId = String(view.advertiserId);
  return query;
}

/** The granularity of the chart over a range: hours for a day or two, days beyond. */
export function chartGranularity(view: Pick<ReportView, 'range' | 'granularity'>): 'hour' | 'day' {
  if (view.granularity === 'hour') return 'hour';
  return daysIn(view.range) <= 2 ? 'hour' : 'day';
}
