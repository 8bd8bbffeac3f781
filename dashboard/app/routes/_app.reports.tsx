import { DownloadIcon, Loader2Icon, SearchXIcon, TrendingUpIcon } from 'lucide-react';
import { Link, useLocation, useNavigate, useNavigation } from 'react-router';
import { EmptyState, PageHeader } from '~/components/page';
import { rangeLabel, rowKey } from '~/components/reports/labels';
import { loadNames } from '~/components/reports/names.server';
import { tryFetchReport } from '~/components/reports/report-api.server';
import { ReportBuilder } from '~/components/reports/report-builder';
import { ReportChartCard } from '~/components/reports/report-chart';
import { seriesOf, totalsOf } from '~/components/reports/report-math';
import { sortAndPage, sumRows } from '~/components/reports/report-rows';
import { ReportSkeleton, ReportSummary } from '~/components/reports/report-summary';
import { ReportTable } from '~/components/reports/report-table';
import {
  apiQuery,
  chartGranularity,
  parseReportView,
  previousRange,
  type ReportRow,
  type ReportView,
  viewSearchParams,
} from '~/components/reports/report-view';
import { timeZoneFromCookie, useBrowserTimeZone } from '~/components/reports/time-zone';
import { Button } from '~/components/ui/button';
import { Alert } from '~/components/ui/misc';
import { authOf } from '~/lib/auth.server';
import { cn } from '~/lib/utils';
import type { Route } from './+types/_app.reports';

export function meta() {
  return [{ title: 'Reports · TAS' }];
}

/**
 * The report builder. The URL is the report (see report-view.ts); the loader asks
 * GET /api/v1/reports, as the viewer, for the rows, the chart's series and, when compared, the
 * previous period's, then sorts and pages the rows here so the page carries one page of them.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = authOf(context);
  const role = auth.viewer.role;
  const url = new URL(request.url);
  const cookieZone = timeZoneFromCookie(request.headers.get('cookie'));
  if (!url.searchParams.get('tz') && !cookieZone) return { needsTimezone: true as const, role };
  const view = parseReportView(url.searchParams, role, { timezone: cookieZone ?? 'UTC' });
  const previous = previousRange(view.range, view.preset);
  const chartG = chartGranularity(view);
  const seriesQuery = apiQuery(view, { granularity: chartG, groupBy: [] });
  const mainQuery = apiQuery(view);
  const sameAsSeries = view.groupBy.length === 0 && view.granularity === chartG;
  const rowByRow = view.compare && view.granularity === 'total' && view.groupBy.length > 0;
  const [main, series, previousSeries, previousRows, names] = await Promise.all([
    tryFetchReport(auth.api, mainQuery),
    sameAsSeries ? null : tryFetchReport(auth.api, seriesQuery),
    view.compare
      ? tryFetchReport(auth.api, apiQuery(view, { range: previous, granularity: chartG, groupBy: [] }))
      : null,
    rowByRow ? tryFetchReport(auth.api, apiQuery(view, { range: previous })) : null,
    loadNames(auth, { creatives: view.groupBy.includes('creative') }),
  ]);
  const error = [main, series, previousSeries, previousRows].find((r) => r && 'error' in r);
  if (error && 'error' in error) {
    return {
      needsTimezone: false as const,
      role,
      view,
      names,
      previousRange: previous,
      error: error.error,
      report: null,
    };
  }
  const rows = 'rows' in main ? main.rows : [];
  const seriesRows = series && 'rows' in series ? series.rows : rows;
  const paged = sortAndPage(rows, view, role, names);
  // The previous period's row of each row shown, matched by dimensions and currency.
  let previousByKey: Record<string, ReportRow> | null = null;
  if (previousRows && 'rows' in previousRows) {
    const wanted = new Set(paged.rows.map((r) => rowKey(r, view.groupBy)));
    const groups = new Map<string, ReportRow[]>();
    for (const row of previousRows.rows) {
      const key = rowKey(row, view.groupBy);
      if (wanted.has(key)) groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    previousByKey = Object.fromEntries(
      [...groups].map(([key, list]) => [key, sumRows(list, list[0]?.currency ?? '')]),
    );
  }
  const totals = totalsOf(rows);
  return {
    needsTimezone: false as const,
    role,
    view,
    names,
    previousRange: previous,
    error: null,
    report: {
      rows: paged.rows,
      page: paged.page,
      pageCount: paged.pageCount,
      rowCount: paged.rowCount,
      totals,
      previousTotals: previousSeries && 'rows' in previousSeries ? totalsOf(previousSeries.rows) : null,
      series: seriesOf(seriesRows),
      previousSeries: previousSeries && 'rows' in previousSeries ? seriesOf(previousSeries.rows) : null,
      chartGranularity: chartG,
      previousByKey,
    },
  };
}

export default function Reports({ loaderData }: Route.ComponentProps) {
  useBrowserTimeZone(loaderData.needsTimezone);
  const navigate = useNavigate();
  const navigation = useNavigation();
  const location = useLocation();
  if (loaderData.needsTimezone) {
    return (
      <>
        <PageHeader title="Reports" description="Loading your report…" />
        <ReportSkeleton />
      </>
    );
  }
  const { view, role, names } = loaderData;
  const pending =
    navigation.state === 'loading' && navigation.location.pathname === '/reports'
      ? navigation.location
      : null;
  const loading = pending !== null;
  // The builder shows where the URL is going, and changes build on it: two quick changes both count.
  const target = pending
    ? parseReportView(new URLSearchParams(pending.search), role, { timezone: view.timezone })
    : view;
  const update = (changes: Partial<ReportView>) => {
    const base = parseReportView(new URLSearchParams((pending ?? location).search), role, {
      timezone: view.timezone,
    });
    navigate(`?${viewSearchParams(base, { ...changes, page: changes.page ?? 1 })}`, {
      preventScrollReset: true,
    });
  };
  const { report } = loaderData;
  const currencies = report ? report.totals.money.map((m) => m.currency) : [];
  return (
    <div aria-busy={loading}>
      <PageHeader
        title="Reports"
        description={
          <>
            {rangeLabel(view.range)} · {view.timezone}
            {view.compare ? ` · compared with ${rangeLabel(loaderData.previousRange)}` : ''}
          </>
        }
        actions={
          <>
            {loading ? (
              <Loader2Icon className="size-4 animate-spin text-muted-foreground" aria-label="Loading" />
            ) : null}
            {role === 'affiliate' ? null : (
              <Button asChild variant="outline" size="sm" className="h-9">
                <Link to="/reports/roi">
                  <TrendingUpIcon aria-hidden />
                  ROI
                </Link>
              </Button>
            )}
            {report ? (
              <Button asChild variant="outline" size="sm" className="h-9">
                <a href={`/reports/csv?${viewSearchParams(view)}`}>
                  <DownloadIcon aria-hidden />
                  Export CSV
                </a>
              </Button>
            ) : null}
          </>
        }
      />
      <ReportBuilder view={target} role={role} names={names} onChange={update} />
      <div
        className={cn(
          'mt-4 grid grid-cols-[minmax(0,1fr)] gap-4 transition-opacity',
          loading && 'opacity-60',
        )}
      >
        {report === null ? (
          <Alert variant="destructive">
            <p className="font-medium">This report cannot be shown</p>
            <p className="mt-1">{loaderData.error}</p>
          </Alert>
        ) : report.rowCount === 0 ? (
          <>
            {report.previousTotals ? (
              <ReportSummary role={role} totals={report.totals} previous={report.previousTotals} />
            ) : null}
            <EmptyState
              icon={SearchXIcon}
              title="No clicks or conversions"
              description="Nothing matches this range and these filters. Try a longer range or fewer filters."
            />
          </>
        ) : (
          <>
            <ReportSummary role={role} totals={report.totals} previous={report.previousTotals} />
            <ReportChartCard
              view={view}
              role={role}
              series={report.series}
              previousSeries={report.previousSeries}
              previousRange={loaderData.previousRange}
              granularity={report.chartGranularity}
              currencies={currencies}
              onChange={update}
            />
            <ReportTable
              view={view}
              role={role}
              names={names}
              rows={report.rows}
              previous={report.previousByKey}
              totals={report.totals}
              rowCount={report.rowCount}
              page={report.page}
              pageCount={report.pageCount}
              currencies={currencies}
            />
          </>
        )}
      </div>
    </div>
  );
}
