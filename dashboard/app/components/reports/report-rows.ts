import { dimensionText, type NameMaps } from './labels';
import { crOf, marginOf, perClickOf, totalsOf } from './report-math';
import {
  DIMENSIONS,
  type Dimension,
  PAGE_SIZE,
  type ReportRow,
  type ReportView,
  type Role,
  type SortKey,
} from './report-view';

/** The value a row is sorted by, for a column of the report table. */
function sortValue(row: ReportRow, key: SortKey, role: Role, names: NameMaps): number | string | null {
  if ((DIMENSIONS as readonly string[]).includes(key))
    return dimensionText(key as Dimension, row, names).toLowerCase();
  switch (key) {
    case 'period':
      return row.period;
    case 'cr':
      return crOf(row);
    case 'epc':
      return perClickOf(
        (role === 'advertiser' ? row.revenueMinor : row.payoutMinor) ?? null,
        row.cleanClicks,
      );
    case 'revenue':
      return row.revenueMinor ?? null;
    case 'payout':
      return row.payoutMinor ?? null;
    case 'profit':
      return row.profitMinor ?? null;
    case 'margin':
      return marginOf({ profitMinor: row.profitMinor ?? null, revenueMinor: row.revenueMinor ?? null });
    default:
      return row[key as keyof ReportRow] as number;
  }
}

/**
 * The rows in the view's order, then the page of them the view shows. Empty values sort last
 * either way; ties keep the API's order (period, currency, dimensions), so paging is stable.
 */
export function sortAndPage(
  rows: readonly ReportRow[],
  view: Pick<ReportView, 'sort' | 'page'>,
  role: Role,
  names: NameMaps,
) {
  const { key, desc } = view.sort;
  const keyed = rows.map((row, index) => ({ row, index, value: sortValue(row, key, role, names) }));
  keyed.sort((a, b) => {
    if (a.value === b.value) return a.index - b.index;
    if (a.value === null) return 1;
    if (b.value === null) return -1;
    const order =
      typeof a.value === 'string' && typeof b.value === 'string'
        ? a.value.localeCompare(b.value, 'en', { numeric: true })
        : Number(a.value) - Number(b.value);
    return (desc ? -order : order) || a.index - b.index;
  });
  const pageCount = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const page = Math.min(view.page, pageCount);
  return {
    rows: keyed.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((k) => k.row),
    page,
    pageCount,
    rowCount: rows.length,
  };
}

/** Sums of rows as one row (for the previous period of a row, or a total line). */
export function sumRows(rows: readonly ReportRow[], currency: string): ReportRow {
  const t = totalsOf(rows);
  const money = t.money.find((m) => m.currency === currency);
  return {
    period: null,
    currency,
    clicks: t.clicks,
    uniqueClicks: t.uniqueClicks,
    cleanClicks: t.cleanClicks,
    invalidClicks: t.invalidClicks,
    botClicks: t.botClicks,
    duplicateClicks: t.duplicateClicks,
    blockedClicks: t.blockedClicks,
    velocityClicks: t.velocityClicks,
    conversions: t.conversions,
    approvedConversions: t.approvedConversions,
    pendingConversions: t.pendingConversions,
    rejectedConversions: t.rejectedConversions,
    cr: crOf(t),
    ...(money?.revenueMinor !== null && money?.revenueMinor !== undefined
      ? { revenueMinor: money.revenueMinor }
      : {}),
    ...(money?.payoutMinor !== null && money?.payoutMinor !== undefined
      ? { payoutMinor: money.payoutMinor }
      : {}),
    ...(money?.profitMinor !== null && money?.profitMinor !== undefined
      ? { profitMinor: money.profitMinor }
      : {}),
  };
}
