import {
  ArrowDownIcon,
  ArrowUpIcon,
  ChevronLeftIcon,
  ChevronRightIcon,
  ChevronsUpDownIcon,
} from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Change } from '~/components/dashboard/kpi-card';
import { Button } from '~/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '~/components/ui/table';
import { Tooltip } from '~/components/ui/tooltip';
import { formatCount, formatMoney, formatPercent } from '~/lib/format';
import { cn } from '~/lib/utils';
import { dimensionText, type NameMaps, periodLabels, rowKey } from './labels';
import { changeOf, crOf, marginOf, perClickOf, type Totals } from './report-math';
import {
  DIMENSION_LABEL,
  metricLabel,
  moneyFor,
  PAGE_SIZE,
  type ReportRow,
  type ReportView,
  type Role,
  type SortKey,
  viewSearchParams,
} from './report-view';

type Column = {
  key: SortKey;
  label: string;
  /** What a short label stands for, for screen readers. */
  long?: string;
  help?: string;
  numeric: boolean;
  cell: (row: ReportRow, previous: ReportRow | undefined) => ReactNode;
  total: (totals: Totals) => ReactNode;
};

const moneyCell = (minor: number | null | undefined, currency: string) =>
  minor === undefined || minor === null ? '–' : formatMoney(minor, currency);

/** A figure with its change against the same row of the previous period under it. */
function WithChange({
  value,
  now,
  before,
  upIsGood = true,
}: {
  value: ReactNode;
  now: number | null;
  before: number | null | undefined;
  upIsGood?: boolean | null;
}) {
  if (before === undefined) return <>{value}</>;
  return (
    <span className="inline-flex flex-col items-end leading-tight">
      <span>{value}</span>
      <Change
        line={{ change: changeOf(now, before) }}
        upIsGood={upIsGood}
        className="bg-transparent px-0 text-[11px]"
      />
    </span>
  );
}

/** Per currency lines of one money figure of the totals. */
function moneyTotals(
  totals: Totals,
  pick: (m: Totals['money'][number]) => number | null,
  format = formatMoney,
) {
  if (totals.money.length === 0) return '–';
  return (
    <span className="inline-flex flex-col items-end">
      {totals.money.map((m) => (
        <span key={m.currency}>{format(pick(m), m.currency)}</span>
      ))}
    </span>
  );
}

function columnsOf(view: ReportView, role: Role, names: NameMaps, multiCurrency: boolean): Column[] {
  const money = moneyFor(role);
  const perClick = (row: ReportRow) =>
    perClickOf((role === 'advertiser' ? row.revenueMinor : row.payoutMinor) ?? null, row.cleanClicks);
  const columns: Column[] = [];
  if (view.granularity !== 'total') {
    columns.push({
      key: 'period',
      label: view.granularity === 'hour' ? 'Hour' : 'Day',
      numeric: false,
      cell: (row) => (
        <span className="inline-flex items-center gap-1.5">
          {row.period ? (
            <span title={periodLabels(row.period).long}>{periodLabels(row.period).medium}</span>
          ) : (
            '–'
          )}
          {view.groupBy.length === 0 && multiCurrency ? <CurrencyTag currency={row.currency} /> : null}
        </span>
      ),
      total: () => null,
    });
  }
  view.groupBy.forEach((dimension, i) => {
    columns.push({
      key: dimension,
      label: DIMENSION_LABEL[dimension],
      numeric: false,
      cell: (row) => (
        <span className="inline-flex max-w-56 items-center gap-1.5">
          <span className="truncate" title={dimensionText(dimension, row, names)}>
            {dimensionText(dimension, row, names)}
          </span>
          {i === view.groupBy.length - 1 && multiCurrency ? (
            <span className="rounded border px-1 text-[10px] font-medium text-muted-foreground">
              {row.currency}
            </span>
          ) : null}
        </span>
      ),
      total: () => null,
    });
  });
  columns.push(
    {
      key: 'clicks',
      label: 'Clicks',
      help: 'Gross clicks: every click recorded, invalid ones included',
      numeric: true,
      cell: (row, prev) => (
        <WithChange
          value={formatCount(row.clicks)}
          now={row.clicks}
          before={prev ? prev.clicks : undefined}
        />
      ),
      total: (t) => formatCount(t.clicks),
    },
    {
      key: 'uniqueClicks',
      label: 'Unique',
      help: 'Clicks that were not duplicates',
      numeric: true,
      cell: (row) => formatCount(row.uniqueClicks),
      total: (t) => formatCount(t.uniqueClicks),
    },
    {
      key: 'cleanClicks',
      label: 'Clean',
      help: 'Gross clicks less invalid ones: what CR and EPC are computed on',
      numeric: true,
      cell: (row) => formatCount(row.cleanClicks),
      total: (t) => formatCount(t.cleanClicks),
    },
    {
      key: 'invalidClicks',
      label: 'Invalid',
      help: 'Bots, duplicates, blocked and velocity clicks: never paid',
      numeric: true,
      cell: (row) => <InvalidCell counts={row} />,
      total: (t) => <InvalidCell counts={t} />,
    },
    {
      key: 'conversions',
      label: 'Conv.',
      long: 'Conversions',
      help: 'Approved and pending conversions (rejected ones do not count)',
      numeric: true,
      cell: (row, prev) => (
        <WithChange
          value={formatCount(row.conversions)}
          now={row.conversions}
          before={prev ? prev.conversions : undefined}
        />
      ),
      total: (t) => formatCount(t.conversions),
    },
    {
      key: 'approvedConversions',
      label: 'Appr.',
      long: 'Approved',
      help: 'Approved conversions',
      numeric: true,
      cell: (row) => formatCount(row.approvedConversions),
      total: (t) => formatCount(t.approvedConversions),
    },
    {
      key: 'pendingConversions',
      label: 'Pend.',
      long: 'Pending',
      help: 'Pending conversions: waiting for the advertiser or a review',
      numeric: true,
      cell: (row) => formatCount(row.pendingConversions),
      total: (t) => formatCount(t.pendingConversions),
    },
    {
      key: 'rejectedConversions',
      label: 'Rej.',
      long: 'Rejected',
      help: 'Rejected conversions: not counted, not paid',
      numeric: true,
      cell: (row) => formatCount(row.rejectedConversions),
      total: (t) => formatCount(t.rejectedConversions),
    },
    {
      key: 'cr',
      label: 'CR',
      help: 'Conversions per clean click',
      numeric: true,
      cell: (row) => formatPercent(crOf(row)),
      total: (t) => formatPercent(crOf(t)),
    },
    {
      key: 'epc',
      label: metricLabel('epc', role),
      help: role === 'advertiser' ? 'Cost per clean click' : 'Payout per clean click',
      numeric: true,
      cell: (row) => {
        const v = perClick(row);
        return v === null ? '–' : formatMoney(Math.round(v), row.currency);
      },
      total: (t) =>
        moneyTotals(t, (m) => {
          const v = perClickOf(role === 'advertiser' ? m.revenueMinor : m.payoutMinor, m.cleanClicks);
          return v === null ? null : Math.round(v);
        }),
    },
  );
  for (const field of money) {
    const key = field;
    const minor = (row: ReportRow) => row[`${field}Minor` as const];
    columns.push({
      key,
      label: metricLabel(field, role),
      numeric: true,
      cell: (row, prev) => (
        <WithChange
          value={moneyCell(minor(row), row.currency)}
          now={minor(row) ?? null}
          before={prev ? (minor(prev) ?? null) : undefined}
          upIsGood={
            field === 'payout' && role === 'admin'
              ? null
              : field === 'revenue' && role === 'advertiser'
                ? null
                : true
          }
        />
      ),
      total: (t) => moneyTotals(t, (m) => m[`${field}Minor` as const]),
    });
  }
  if (role === 'admin') {
    columns.push({
      key: 'margin',
      label: 'Margin',
      help: 'Profit per revenue',
      numeric: true,
      cell: (row) =>
        formatPercent(
          marginOf({ profitMinor: row.profitMinor ?? null, revenueMinor: row.revenueMinor ?? null }),
          1,
        ),
      total: (t) =>
        moneyTotals(
          t,
          (m) => marginOf(m),
          (v) => formatPercent(v, 1),
        ),
    });
  }
  return columns;
}

function CurrencyTag({ currency }: { currency: string }) {
  return (
    <span className="rounded border px-1 text-[10px] font-medium text-muted-foreground">{currency}</span>
  );
}

function InvalidCell({
  counts,
}: {
  counts: Pick<
    ReportRow,
    'invalidClicks' | 'botClicks' | 'duplicateClicks' | 'blockedClicks' | 'velocityClicks'
  >;
}) {
  if (!counts.invalidClicks) return <span className="text-muted-foreground">0</span>;
  const detail = `Bots ${formatCount(counts.botClicks)} · Duplicates ${formatCount(counts.duplicateClicks)} · Blocked ${formatCount(counts.blockedClicks)} · Velocity ${formatCount(counts.velocityClicks)}`;
  return (
    <Tooltip content={detail}>
      <button
        type="button"
        aria-label={`${formatCount(counts.invalidClicks)} invalid: ${detail}`}
        className="cursor-help rounded underline decoration-dotted decoration-muted-foreground/60 underline-offset-4 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      >
        {formatCount(counts.invalidClicks)}
      </button>
    </Tooltip>
  );
}

/**
 * The report's rows: one page of them, sorted as the URL says (headers are links), with the
 * totals of all rows at the foot (money per currency) and, when compared, each row's change
 * against the same row of the previous period.
 */
export function ReportTable({
  view,
  role,
  names,
  rows,
  previous,
  totals,
  rowCount,
  page,
  pageCount,
  currencies,
}: {
  view: ReportView;
  role: Role;
  names: NameMaps;
  rows: ReportRow[];
  /** The previous period's rows by rowKey, when compared row by row. */
  previous: Record<string, ReportRow> | null;
  totals: Totals;
  rowCount: number;
  page: number;
  pageCount: number;
  currencies: string[];
}) {
  const columns = columnsOf(view, role, names, currencies.length > 1);
  const sortLink = (key: SortKey) => {
    // A new column sorts most first, names and subs A to Z; the same column flips.
    const text = key !== 'period' && !columns.find((c) => c.key === key)?.numeric;
    const desc = view.sort.key === key ? !view.sort.desc : !text;
    return `?${viewSearchParams(view, { sort: { key, desc }, page: 1 })}`;
  };
  const first = (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(page * PAGE_SIZE, rowCount);
  return (
    <div className="overflow-hidden rounded-xl border bg-card shadow-xs">
      <Table className="text-[13px]">
        <caption className="sr-only">
          Report rows {first} to {last} of {rowCount}, sorted by{' '}
          {columns.find((c) => c.key === view.sort.key)?.label ?? view.sort.key}{' '}
          {view.sort.desc ? 'descending' : 'ascending'}
        </caption>
        <TableHeader className="bg-muted">
          <TableRow className="hover:bg-transparent">
            {columns.map((column, i) => {
              const sorted = view.sort.key === column.key;
              return (
                <TableHead
                  key={column.key}
                  aria-sort={sorted ? (view.sort.desc ? 'descending' : 'ascending') : undefined}
                  className={cn(
                    'h-9 px-2 text-[11px]',
                    column.numeric && 'text-right',
                    i === 0 && 'sticky left-0 z-10 bg-muted',
                  )}
                >
                  <Link
                    to={sortLink(column.key)}
                    preventScrollReset
                    title={column.help}
                    className={cn(
                      'inline-flex items-center gap-1 rounded uppercase hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
                      column.numeric && 'flex-row-reverse',
                      sorted && 'text-foreground',
                    )}
                  >
                    {column.long ? (
                      <>
                        <span aria-hidden>{column.label}</span>
                        <span className="sr-only">{column.long}</span>
                      </>
                    ) : (
                      column.label
                    )}
                    {sorted ? (
                      view.sort.desc ? (
                        <ArrowDownIcon className="size-3" aria-hidden />
                      ) : (
                        <ArrowUpIcon className="size-3" aria-hidden />
                      )
                    ) : (
                      <ChevronsUpDownIcon className="size-3 opacity-30" aria-hidden />
                    )}
                  </Link>
                </TableHead>
              );
            })}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => {
            const key = `${row.period ?? ''}|${rowKey(row, view.groupBy)}`;
            const prev = previous
              ? (previous[rowKey(row, view.groupBy)] ?? ({ ...ZERO, currency: row.currency } as ReportRow))
              : undefined;
            return (
              <TableRow key={key}>
                {columns.map((column, i) => (
                  <TableCell
                    key={column.key}
                    className={cn(
                      'px-2 py-2',
                      column.numeric && 'text-right tabular-nums',
                      i === 0 && 'sticky left-0 z-10 bg-card font-medium',
                    )}
                  >
                    {column.cell(row, prev)}
                  </TableCell>
                ))}
              </TableRow>
            );
          })}
        </TableBody>
        <tfoot className="border-t bg-muted font-medium">
          <tr>
            {columns.map((column, i) => (
              <td
                key={column.key}
                className={cn(
                  'px-2 py-2.5 align-top whitespace-nowrap',
                  column.numeric && 'text-right tabular-nums',
                  i === 0 && 'sticky left-0 z-10 bg-muted',
                )}
              >
                {i === 0
                  ? `Total (${formatCount(rowCount)} ${rowCount === 1 ? 'row' : 'rows'})`
                  : column.numeric
                    ? column.total(totals)
                    : ''}
              </td>
            ))}
          </tr>
        </tfoot>
      </Table>
      <ReportPager
        view={view}
        page={page}
        pageCount={pageCount}
        first={first}
        last={last}
        rowCount={rowCount}
      />
    </div>
  );
}

const ZERO: Omit<ReportRow, 'currency'> = {
  period: null,
  clicks: 0,
  uniqueClicks: 0,
  cleanClicks: 0,
  invalidClicks: 0,
  botClicks: 0,
  duplicateClicks: 0,
  blockedClicks: 0,
  velocityClicks: 0,
  conversions: 0,
  approvedConversions: 0,
  pendingConversions: 0,
  rejectedConversions: 0,
  cr: null,
  revenueMinor: 0,
  payoutMinor: 0,
  profitMinor: 0,
};

function ReportPager({
  view,
  page,
  pageCount,
  first,
  last,
  rowCount,
}: {
  view: ReportView;
  page: number;
  pageCount: number;
  first: number;
  last: number;
  rowCount: number;
}) {
  if (pageCount <= 1) return null;
  const to = (p: number) => `?${viewSearchParams(view, { page: p })}`;
  return (
    <nav
      aria-label="Pages"
      className="flex items-center justify-between gap-2 border-t px-3 py-2 text-xs text-muted-foreground"
    >
      <span>
        Rows {formatCount(first)}–{formatCount(last)} of {formatCount(rowCount)}
      </span>
      <div className="flex items-center gap-1">
        <span className="mr-2">
          Page {page} of {pageCount}
        </span>
        {page > 1 ? (
          <Button asChild variant="outline" size="sm" className="h-7 px-2">
            <Link to={to(page - 1)} preventScrollReset>
              <ChevronLeftIcon aria-hidden />
              <span className="sr-only sm:not-sr-only">Previous</span>
            </Link>
          </Button>
        ) : null}
        {page < pageCount ? (
          <Button asChild variant="outline" size="sm" className="h-7 px-2">
            <Link to={to(page + 1)} preventScrollReset>
              <span className="sr-only sm:not-sr-only">Next</span>
              <ChevronRightIcon aria-hidden />
            </Link>
          </Button>
        ) : null}
      </div>
    </nav>
  );
}
