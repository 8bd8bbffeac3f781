import { addDays, type DateRange, DIMENSION_FIELD, type Dimension, type ReportRow } from './report-view';

/** Names of ids, as the loader found them (see names.server.ts). */
export type NameMaps = {
  offers: Record<number, string>;
  affiliates: Record<number, string>;
  advertisers: Record<number, string>;
  creatives: Record<number, string>;
};

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    return null;
  }
})();

export function countryName(code: string): string {
  if (!code) return 'Unknown';
  try {
    return regionNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

const DEVICE: Record<string, string> = {
  desktop: 'Desktop',
  mobile: 'Mobile',
  tablet: 'Tablet',
  other: 'Other',
};

/** How a dimension's value of a row reads: names for ids, "(none)" for an empty sub. */
export function dimensionText(dimension: Dimension, row: ReportRow, names: NameMaps): string {
  const value = row[DIMENSION_FIELD[dimension]];
  switch (dimension) {
    case 'offer':
      return typeof value === 'number' ? (names.offers[value] ?? `Offer #${value}`) : '–';
    case 'affiliate':
      return typeof value === 'number' ? (names.affiliates[value] ?? `Affiliate #${value}`) : '–';
    case 'advertiser':
      return typeof value === 'number' ? (names.advertisers[value] ?? `Advertiser #${value}`) : '–';
    case 'creative':
      return typeof value === 'number' ? (names.creatives[value] ?? `Creative #${value}`) : 'No creative';
    case 'country':
      return typeof value === 'string' && value ? countryName(value) : 'Unknown';
    case 'device':
      return typeof value === 'string' && value ? (DEVICE[value] ?? value) : 'Unknown';
    default:
      return typeof value === 'string' && value ? value : '(none)';
  }
}

/** A stable key of a row's dimensions (and currency), to match it with the previous period's. */
export function rowKey(row: ReportRow, groupBy: Dimension[]): string {
  return JSON.stringify([row.currency, ...groupBy.map((d) => row[DIMENSION_FIELD[d]] ?? null)]);
}

const utc = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
const shortDay = utc({ month: 'short', day: 'numeric' });
const longDay = utc({ weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' });
const dayWithWeekday = utc({ weekday: 'short', month: 'short', day: 'numeric' });

/**
 * A local period of the API ("2026-11-29" or "2026-11-29T14:00") for an axis (short), a table
 * row (medium) and a tooltip (long).
 */
export function periodLabels(
  period: string,
  multiDay = true,
): { short: string; medium: string; long: string } {
  const [date = period, time] = period.split('T');
  const day = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return { short: period, medium: period, long: period };
  if (time) {
    return {
      short: multiDay ? `${shortDay.format(day)} ${time}` : time,
      medium: `${shortDay.format(day)}, ${time}`,
      long: `${dayWithWeekday.format(day)}, ${time}`,
    };
  }
  return { short: shortDay.format(day), medium: dayWithWeekday.format(day), long: longDay.format(day) };
}

/** "Nov 23 – Nov 29, 2026" (or one day). */
export function rangeLabel(range: DateRange): string {
  const from = new Date(`${range.from}T00:00:00Z`);
  const to = new Date(`${range.to}T00:00:00Z`);
  const year = utc({ year: 'numeric' });
  if (range.from === range.to) return longDay.format(from);
  const sameYear = year.format(from) === year.format(to);
  return `${sameYear ? shortDay.format(from) : utc({ month: 'short', day: 'numeric', year: 'numeric' }).format(from)} – ${utc({ month: 'short', day: 'numeric', year: 'numeric' }).format(to)}`;
}

/** Every period of a range at a granularity, in order (the API leaves out empty ones). */
export function periodsOf(range: DateRange, granularity: 'day' | 'hour'): string[] {
  const out: string[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) {
    if (granularity === 'day') out.push(day);
    else for (let h = 0; h < 24; h++) out.push(`${day}T${String(h).padStart(2, '0')}:00`);
    if (out.length > 24 * 400) break;
  }
  return out;
}
