import { INVALID_CLICK_FLAGS } from '@tas/shared/fraud-rules';
import { type SQL, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.ts';
import { type Database, queryRows } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { ReportDimension, ReportQuery, ReportRow } from './report-schemas.ts';

export const MAX_REPORT_ROWS = 200_000;

/** Dimensions the hourly rollup has; any other needs the raw clicks and conversions. */
const ROLLUP_DIMENSIONS = new Set<ReportDimension>([
  'offer',
  'affiliate',
  'advertiser',
  'sub1',
  'country',
  'device',
]);

/** Dimensions the rollup by hour, offer and affiliate answers (the advertiser comes from the offer). */
const COARSE_ROLLUP_DIMENSIONS = new Set<ReportDimension>(['offer', 'affiliate', 'advertiser']);

// Output column of each dimension and its source column (null: taken from the offer, `o`).
// Only these fixed strings reach the SQL text; user input picks among them.
const DIMENSION_SQL: Record<
  ReportDimension,
  { column: keyof ReportRow; source: string | null; outer: string }
> = {
  offer: { column: 'offerId', source: 'offer_id', outer: 'i.offer_id' },
  affiliate: { column: 'affiliateId', source: 'affiliate_id', outer: 'i.affiliate_id' },
  advertiser: { column: 'advertiserId', source: null, outer: 'o.advertiser_id' },
  sub1: { column: 'sub1', source: 'sub1', outer: 'i.sub1' },
  sub2: { column: 'sub2', source: 'sub2', outer: 'i.sub2' },
  sub3: { column: 'sub3', source: 'sub3', outer: 'i.sub3' },
  sub4: { column: 'sub4', source: 'sub4', outer: 'i.sub4' },
  sub5: { column: 'sub5', source: 'sub5', outer: 'i.sub5' },
  country: { column: 'country', source: 'country', outer: 'i.country' },
  device: { column: 'device', source: 'device', outer: 'i.device' },
  creative: { column: 'creativeId', source: 'creative_id', outer: 'i.creative_id' },
};

/** The instant at which `date` begins in `timeZone`. */
export function localMidnightUtc(date: string, timeZone: string): Date {
  const guess = Date.parse(`${date}T00:00:00Z`);
  const first = guess - offsetMinutes(timeZone, new Date(guess)) * 60_000;
  // Near a DST change the offset at the guess can differ from the offset at local midnight.
  return new Date(guess - offsetMinutes(timeZone, new Date(first)) * 60_000);
}

/** True when the zone keeps one offset over the whole range (no DST change inside it). */
function constantOffset(query: ReportQuery): boolean {
  const first = Date.parse(`${query.from}T00:00:00Z`);
  const last = Date.parse(`${query.to}T23:00:00Z`) + 86_400_000;
  const offset = offsetMinutes(query.timezone, new Date(first));
  for (let t = first; t <= last; t += 6 * 3_600_000) {
    if (offsetMinutes(query.timezone, new Date(t)) !== offset) return false;
  }
  return true;
}

/** Offset of `timeZone` from UTC at `date`, in minutes. */
function offsetMinutes(timeZone: string, date: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/**
 * The rollup's UTC hours fall on local hour boundaries only in zones a whole number of hours
 * from UTC; anything else (India, Nepal, some DST rules) is answered from the raw events.
 */
export function canUseRollup(query: ReportQuery): boolean {
  if (!query.groupBy.every((d) => ROLLUP_DIMENSIONS.has(d))) return false;
  const edges = [new Date(`${query.from}T12:00:00Z`), new Date(`${query.to}T12:00:00Z`)];
  return edges.every((d) => offsetMinutes(query.timezone, d) % 60 === 0);
}

const DAY_MS = 86_400_000;

/**
 * The whole UTC days within [from, to) that daily_offer_stats answers (decision 036), or null
 * when the report needs finer rows. Its rows are UTC days, so they fit a report's day buckets
 * only where local days are UTC days (offset 0 over the whole range: UTC, or London in winter);
 * a total has no buckets, so any zone's range takes its whole UTC days from the daily rows and
 * its partial first and last days from the hourly ones (exact: sums just add).
 */
export function dailySpan(query: ReportQuery, from: Date, to: Date): { from: Date; to: Date } | null {
  if (query.granularity === 'hour' || !canUseRollup(query)) return null;
  if (!query.groupBy.every((d) => COARSE_ROLLUP_DIMENSIONS.has(d))) return null;
  if (query.granularity === 'day' && !(constantOffset(query) && offsetMinutes(query.timezone, from) === 0))
    return null;
  const first = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const last = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  return first < last ? { from: new Date(first), to: new Date(last) } : null;
}

/** An instant as a query constant. */
function instant(at: Date): SQL {
  return sql`${at.toISOString()}::timestamptz`;
}

function source(
  query: ReportQuery,
  principal: Principal,
  from: Date,
  to: Date,
  days: { from: Date; to: Date } | null,
): SQL {
  const affiliateId = principal.role === 'affiliate' ? (principal.affiliateId ?? -1) : query.affiliateId;
  const advertiserId = principal.role === 'advertiser' ? (principal.advertiserId ?? -1) : query.advertiserId;
  const filters = (table: string, time: string, fromTs: SQL = instant(from), toTs: SQL = instant(to)) =>
    sql.join(
      [
        sql.raw(`${table}.${time} >= `),
        fromTs,
        sql.raw(` AND ${table}.${time} < `),
        toTs,
        query.offerId ? sql` AND ${sql.raw(table)}.offer_id = ${query.offerId}` : sql``,
        affiliateId ? sql` AND ${sql.raw(table)}.affiliate_id = ${affiliateId}` : sql``,
        advertiserId
          ? sql` AND ${sql.raw(table)}.offer_id IN (SELECT id FROM offers WHERE advertiser_id = ${advertiserId})`
          : sql``,
      ],
      sql``,
    );
  // Counts enter the sums as integer: sum(integer) adds in bigint, sum(bigint) in numeric, several
  // times slower over a month of rows. No hourly row comes near 2^31 clicks (a daily one would at
  // 24,855 a second of one offer and affiliate all day, and fail loudly); money stays bigint.
  const rollupRows = (table: string, time: 'hour' | 'day', dimensions: SQL, fromTs?: SQL, toTs?: SQL) => sql`
      SELECT h.${sql.raw(time)} AS ts, h.offer_id, h.affiliate_id, ${dimensions}, NULL::int AS creative_id,
             h.clicks::int AS clicks, h.unique_clicks::int AS unique_clicks, h.invalid_clicks::int AS invalid_clicks,
             h.bot_clicks::int AS bot_clicks, (h.clicks - h.unique_clicks)::int AS duplicate_clicks,
             h.blocked_clicks::int AS blocked_clicks, h.velocity_clicks::int AS velocity_clicks,
             h.conversions::int AS conversions, h.approved_conversions::int AS approved_conversions,
             h.pending_conversions::int AS pending_conversions, h.rejected_conversions::int AS rejected_conversions,
             h.payout_minor, h.revenue_minor
      FROM ${sql.raw(table)} h WHERE ${filters('h', time, fromTs, toTs)}`;
  if (canUseRollup(query)) {
    // By time, offer, affiliate and advertiser only: the rollup without sub1, country and device,
    // a fraction of the rows (decision 032), and by day where whole UTC days are asked (036).
    const coarse = query.groupBy.every((d) => COARSE_ROLLUP_DIMENSIONS.has(d));
    if (!coarse) {
      const dimensions = sql.raw(
        `h.sub1, ''::text AS sub2, ''::text AS sub3, ''::text AS sub4, ''::text AS sub5, h.country, h.device`,
      );
      return rollupRows('hourly_stats', 'hour', dimensions);
    }
    const dimensions = sql.raw(`''::text AS sub1, ''::text AS sub2, ''::text AS sub3, ''::text AS sub4,
             ''::text AS sub5, ''::text AS country, ''::text AS device`);
    if (!days) return rollupRows('hourly_offer_stats', 'hour', dimensions);
    // A row a day for the whole UTC days, and hourly rows for the parts of the first and last
    // local days outside them (none for a report by day: its days are whole UTC days).
    const parts = [rollupRows('daily_offer_stats', 'day', dimensions, instant(days.from), instant(days.to))];
    if (from < days.from)
      parts.push(rollupRows('hourly_offer_stats', 'hour', dimensions, instant(from), instant(days.from)));
    if (days.to < to)
      parts.push(rollupRows('hourly_offer_stats', 'hour', dimensions, instant(days.to), instant(to)));
    return sql.join(parts, sql` UNION ALL `);
  }
  // Most clicks carry no flag: their flag columns are settled without looking inside the JSON.
  return sql`
    SELECT c.occurred_at AS ts, c.offer_id, c.affiliate_id, coalesce(c.sub1, '') AS sub1, coalesce(c.sub2, '') AS sub2,
           coalesce(c.sub3, '') AS sub3, coalesce(c.sub4, '') AS sub4, coalesce(c.sub5, '') AS sub5,
           coalesce(c.country, '') AS country, coalesce(c.device, '') AS device, c.creative_id,
           1 AS clicks, CASE WHEN c.is_unique THEN 1 ELSE 0 END AS unique_clicks,
           CASE WHEN NOT c.is_unique THEN 1
                WHEN c.fraud_flags = '[]'::jsonb THEN 0
                WHEN c.fraud_flags ?| ${sql.param([...INVALID_CLICK_FLAGS])}::text[] THEN 1 ELSE 0 END AS invalid_clicks,
           CASE WHEN c.fraud_flags <> '[]'::jsonb AND c.fraud_flags ? 'bot' THEN 1 ELSE 0 END AS bot_clicks,
           CASE WHEN c.is_unique THEN 0 ELSE 1 END AS duplicate_clicks,
           CASE WHEN c.fraud_flags <> '[]'::jsonb AND c.fraud_flags ?| array['blocked_ip', 'blocked_user_agent']
                THEN 1 ELSE 0 END AS blocked_clicks,
           CASE WHEN c.fraud_flags <> '[]'::jsonb AND c.fraud_flags ? 'ip_velocity' THEN 1 ELSE 0 END AS velocity_clicks,
           0 AS conversions, 0 AS approved_conversions, 0 AS pending_conversions, 0 AS rejected_conversions,
           c.payout_minor, c.revenue_minor
    FROM clicks c WHERE ${filters('c', 'occurred_at')}
    UNION ALL
    SELECT v.occurred_at, v.offer_id, v.affiliate_id, coalesce(v.sub1, ''), coalesce(v.sub2, ''), coalesce(v.sub3, ''),
           coalesce(v.sub4, ''), coalesce(v.sub5, ''), coalesce(v.country, ''), coalesce(v.device, ''), v.creative_id,
           0, 0, 0, 0, 0, 0, 0, CASE WHEN v.status <> 'rejected' THEN 1 ELSE 0 END,
           CASE WHEN v.status = 'approved' THEN 1 ELSE 0 END, CASE WHEN v.status = 'pending' THEN 1 ELSE 0 END,
           CASE WHEN v.status = 'rejected' THEN 1 ELSE 0 END,
           -- A rejected conversion is counted as such, and its money not at all.
           CASE WHEN v.status <> 'rejected' THEN v.payout_minor ELSE 0 END,
           CASE WHEN v.status <> 'rejected' THEN v.revenue_minor ELSE 0 END
    FROM conversions v WHERE ${filters('v', 'occurred_at')}`;
}

/** A row as the database answers it (sums of bigint come back as numeric strings). */
export type RawRow = Record<string, string | number | null> & {
  period: string | null;
  currency: string;
  clicks: string | number;
  unique_clicks: string | number;
  invalid_clicks: string | number;
  bot_clicks: string | number;
  duplicate_clicks: string | number;
  blocked_clicks: string | number;
  velocity_clicks: string | number;
  conversions: string | number;
  approved_conversions: string | number;
  pending_conversions: string | number;
  rejected_conversions: string | number;
  payout_minor: string | number;
  revenue_minor: string | number;
};

/**
 * The report rows: sums per period (in the requested time zone) and dimensions, never mixing
 * currencies, restricted to what the principal may see, with the money each role may see.
 * At most MAX_REPORT_ROWS; the CSV export reads the same statement through a cursor instead.
 */
export async function runReport(
  db: Database,
  principal: Principal,
  query: ReportQuery,
): Promise<ReportRow[]> {
  const report = reportStatement(principal, query);
  const rows = await queryRows<RawRow>(db, sql`${report.statement} LIMIT ${MAX_REPORT_ROWS + 1}`);
  if (rows.length > MAX_REPORT_ROWS) {
    throw new ApiError(
      'invalid_request',
      `More than ${MAX_REPORT_ROWS} rows: narrow the dates or the grouping, or ask for format=csv.`,
    );
  }
  return rows.map(report.toRow);
}

/**
 * The one SELECT behind a report, in its final order (every grouping key, so the order is
 * total), and how each of its raw rows becomes a ReportRow for this principal.
 */
export function reportStatement(
  principal: Principal,
  query: ReportQuery,
): { statement: SQL; toRow: (raw: RawRow) => ReportRow } {
  const tz = query.timezone;
  // Computed here, not in SQL: a constant instant is folded once, where `AT TIME ZONE` would be
  // evaluated again for every row scanned.
  const dayAfter = new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const from = localMidnightUtc(query.from, tz);
  const to = localMidnightUtc(dayAfter, tz);
  const fromTs = instant(from);
  // The period of each source row, as an instant. With one offset over the range, date_bin from
  // local midnight is exact and cheap; otherwise each row goes through the zone rules.
  const unit = query.granularity === 'hour' ? 'hour' : 'day';
  const days = dailySpan(query, from, to);
  const bucket =
    query.granularity === 'total'
      ? sql`NULL::timestamptz`
      : days
        ? // A daily row's day is a local day here (offset 0), and with no edges it is its bucket:
          // grouped in the rollup's own key order, no sort.
          sql`s.ts`
        : constantOffset(query)
          ? sql`date_bin(${`1 ${unit}`}::interval, s.ts, ${fromTs})`
          : sql`(date_trunc(${unit}, s.ts AT TIME ZONE ${tz}) AT TIME ZONE ${tz})`;
  const format = query.granularity === 'hour' ? 'YYYY-MM-DD"T"HH24:00' : 'YYYY-MM-DD';
  const dims = [...new Set(query.groupBy)].map((d) => ({ d, ...DIMENSION_SQL[d] }));
  // Sums first per period, offer and dimensions (no join), then the offer for currency and advertiser.
  const innerColumns = [
    'offer_id',
    ...dims.flatMap((x) => (x.source && x.source !== 'offer_id' ? [x.source] : [])),
  ];
  const innerSelect = sql.raw(innerColumns.map((c) => `s.${c}`).join(', '));
  const innerGroup = sql.raw(['1', ...innerColumns.map((c) => `s.${c}`)].join(', '));
  const outerDims = dims.map(({ d, outer }) => sql.raw(`, ${outer} AS "${d}"`));
  const outerKeys = sql.raw(['i.bucket', 'o.currency', ...dims.map((x) => x.outer)].join(', '));
  // The offer fixes the currency and the advertiser: grouped by offer, each inner row is an outer
  // group of its own, and summing it again (in numeric, over every row) only costs time.
  const byOffer = dims.some((x) => x.d === 'offer');
  const measures = byOffer ? measuresOf('i') : sumsOf('i');
  // By day, offer and affiliate from the daily rollup, each of its rows is a group already: read
  // as they are, the month's report is a scan and a sort (decision 036).
  const rowIsGroup =
    days !== null &&
    query.granularity === 'day' &&
    innerColumns.length === 2 &&
    innerColumns.includes('affiliate_id');
  const inner = rowIsGroup
    ? sql`SELECT ${bucket} AS bucket, ${innerSelect}, ${measuresOf('s')}
        FROM (${source(query, principal, from, to, days)}) s`
    : sql`SELECT ${bucket} AS bucket, ${innerSelect}, ${sumsOf('s')}
        FROM (${source(query, principal, from, to, days)}) s
        GROUP BY ${innerGroup}`;
  const statement = sql`
      SELECT to_char(i.bucket AT TIME ZONE ${tz}, ${format}) AS period, o.currency${sql.join(outerDims, sql``)},
             ${measures}
      FROM (
        ${inner}
      ) i
      JOIN offers o ON o.id = i.offer_id
      ${byOffer ? sql`` : sql`GROUP BY ${outerKeys}`}
      ORDER BY ${outerKeys}`;
  return { statement, toRow: (raw) => toReportRow(principal, raw, dims) };
}

function toReportRow(
  principal: Principal,
  r: RawRow,
  dims: { d: ReportDimension; column: keyof ReportRow }[],
): ReportRow {
  const clicks = Number(r.clicks);
  const invalidClicks = Number(r.invalid_clicks);
  // Rates are per clean click: bots and duplicates must not dilute them (nor hide in them).
  const cleanClicks = clicks - invalidClicks;
  const conversions = Number(r.conversions);
  const payout = Number(r.payout_minor);
  const revenue = Number(r.revenue_minor);
  const row: ReportRow = {
    period: r.period,
    currency: r.currency,
    clicks,
    uniqueClicks: Number(r.unique_clicks),
    cleanClicks,
    invalidClicks,
    botClicks: Number(r.bot_clicks),
    duplicateClicks: Number(r.duplicate_clicks),
    blockedClicks: Number(r.blocked_clicks),
    velocityClicks: Number(r.velocity_clicks),
    conversions,
    approvedConversions: Number(r.approved_conversions),
    pendingConversions: Number(r.pending_conversions),
    rejectedConversions: Number(r.rejected_conversions),
    cr: cleanClicks ? Math.round((conversions / cleanClicks) * 10_000) / 10_000 : null,
  };
  for (const { d, column } of dims) {
    const value = r[d] ?? null;
    (row as Record<string, unknown>)[column] =
      column === 'offerId' || column === 'affiliateId' || column === 'advertiserId' || column === 'creativeId'
        ? value === null
          ? null
          : Number(value)
        : value;
  }
  if (principal.role !== 'advertiser') {
    row.payoutMinor = payout;
    row.epcMinor = cleanClicks ? Math.round((payout / cleanClicks) * 100) / 100 : null;
  }
  if (principal.role !== 'affiliate') row.revenueMinor = revenue;
  if (principal.role === 'admin') row.profitMinor = revenue - payout;
  return row;
}

/** The columns of a report for this principal and query, in order (the CSV header). */
export function reportColumns(principal: Principal, query: ReportQuery): (keyof ReportRow)[] {
  const money: (keyof ReportRow)[] =
    principal.role === 'admin'
      ? ['revenueMinor', 'payoutMinor', 'profitMinor']
      : principal.role === 'advertiser'
        ? ['revenueMinor']
        : ['payoutMinor'];
  return [
    'period',
    ...[...new Set(query.groupBy)].map((d) => DIMENSION_SQL[d].column),
    'currency',
    'clicks',
    'uniqueClicks',
    'cleanClicks',
    'invalidClicks',
    'botClicks',
    'duplicateClicks',
    'blockedClicks',
    'velocityClicks',
    'conversions',
    'approvedConversions',
    'pendingConversions',
    'rejectedConversions',
    ...money,
    'cr',
    ...(principal.role === 'advertiser' ? [] : (['epcMinor'] as const)),
  ];
}

// The measures of every report level, in their output order.
const MEASURE_COLUMNS = [
  'clicks',
  'unique_clicks',
  'invalid_clicks',
  'bot_clicks',
  'duplicate_clicks',
  'blocked_clicks',
  'velocity_clicks',
  'conversions',
  'approved_conversions',
  'pending_conversions',
  'rejected_conversions',
  'payout_minor',
  'revenue_minor',
];

function measuresOf(alias: 'i' | 's'): SQL {
  return sql.raw(MEASURE_COLUMNS.map((column) => `${alias}.${column}`).join(', '));
}

function sumsOf(alias: 'i' | 's'): SQL {
  return sql.raw(MEASURE_COLUMNS.map((column) => `sum(${alias}.${column}) AS ${column}`).join(', '));
}
