import { BarChart3Icon, BriefcaseIcon, HashIcon, Loader2Icon, UsersIcon } from 'lucide-react';
import { Link, useNavigation, useSearchParams } from 'react-router';
import { TrendChart, type TrendPoint } from '~/components/charts/trend-chart';
import { DashboardSkeleton, PeriodSwitch, QualityCard } from '~/components/dashboard/dashboard-parts';
import { dashboardWindow } from '~/components/dashboard/dashboard-period';
import { KpiCard, type KpiLine } from '~/components/dashboard/kpi-card';
import { type TopItem, TopTable } from '~/components/dashboard/top-table';
import { EmptyState, PageHeader } from '~/components/page';
import { periodLabels, periodsOf, rangeLabel } from '~/components/reports/labels';
import { formatAxis, formatMetric, marginIn } from '~/components/reports/metrics';
import { loadNames } from '~/components/reports/names.server';
import { fetchReport } from '~/components/reports/report-api.server';
import {
  changeOf,
  crOf,
  invalidShareOf,
  moneyIn,
  perClickOf,
  seriesOf,
  type Totals,
  totalsOf,
} from '~/components/reports/report-math';
import {
  apiQuery,
  type Dimension,
  metricLabel,
  moneyFor,
  parseReportView,
  type ReportRow,
  type Role,
  viewSearchParams,
} from '~/components/reports/report-view';
import { timeZoneFromCookie, useBrowserTimeZone } from '~/components/reports/time-zone';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '~/components/ui/card';
import { authOf } from '~/lib/auth.server';
import { formatCount, formatMoney, formatPercent } from '~/lib/format';
import { cn } from '~/lib/utils';
import type { Route } from './+types/_app.dashboard';

export function meta() {
  return [{ title: 'Dashboard · TAS' }];
}

const CHART_METRICS = ['clicks', 'conversions', 'money'] as const;
type ChartMetric = (typeof CHART_METRICS)[number];

/**
 * The viewer's figures for today, 7 or 30 days against the period before, each from
 * GET /api/v1/reports (scoped by the API to what the viewer may see): one series for the
 * headline figures and the chart, one for the previous period, and the top offers and top
 * affiliates (sub ids for affiliates).
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = authOf(context);
  const { api, viewer } = auth;
  const url = new URL(request.url);
  const timezone = url.searchParams.get('tz') ?? timeZoneFromCookie(request.headers.get('cookie'));
  const role = viewer.role;
  if (!timezone) return { needsTimezone: true as const, role };
  const window = dashboardWindow(url.searchParams, timezone);
  const base = {
    timezone: window.timezone,
    granularity: window.granularity,
    groupBy: [] as Dimension[],
    offerId: null,
    affiliateId: null,
    advertiserId: null,
    range: window.range,
  };
  const second: Dimension = role === 'affiliate' ? 'sub1' : 'affiliate';
  const [current, previous, offers, seconds, names] = await Promise.all([
    fetchReport(api, apiQuery(base)),
    fetchReport(api, apiQuery(base, { range: window.previous })),
    fetchReport(api, apiQuery(base, { granularity: 'total', groupBy: ['offer'] })),
    fetchReport(api, apiQuery(base, { granularity: 'total', groupBy: [second] })),
    loadNames(auth),
  ]);
  const metric = url.searchParams.get('metric');
  return {
    needsTimezone: false as const,
    role,
    window,
    chartMetric: (CHART_METRICS as readonly string[]).includes(metric ?? '')
      ? (metric as ChartMetric)
      : 'clicks',
    current,
    previous,
    offers,
    seconds,
    secondDimension: second,
    names,
  };
}

export default function Dashboard({ loaderData }: Route.ComponentProps) {
  useBrowserTimeZone(loaderData.needsTimezone);
  const navigation = useNavigation();
  if (loaderData.needsTimezone) {
    return (
      <>
        <PageHeader title="Dashboard" description="Loading your figures…" />
        <DashboardSkeleton />
      </>
    );
  }
  const { role, window, current, previous, offers, seconds, names, chartMetric, secondDimension } =
    loaderData;
  const loading = navigation.state === 'loading' && navigation.location.pathname === '/dashboard';
  const now = totalsOf(current);
  // Today against yesterday until the same hour.
  const before = totalsOf(
    window.untilHour === null
      ? previous
      : previous.filter((r) => Number((r.period ?? '').slice(11, 13)) <= (window.untilHour ?? 23)),
  );
  const reportsFor = (extra: Record<string, string> = {}) => {
    const view = parseReportView(new URLSearchParams(), role, { timezone: window.timezone });
    const params = viewSearchParams({ ...view, preset: window.preset, granularity: 'total' });
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    return `/reports?${params}`;
  };
  const empty = now.clicks === 0 && now.conversions === 0;
  const compareText =
    window.period === 'today'
      ? `yesterday until ${String(window.untilHour).padStart(2, '0')}:59`
      : rangeLabel(window.previous);
  return (
    <div className={cn('transition-opacity', loading && 'opacity-60')} aria-busy={loading}>
      <PageHeader
        title="Dashboard"
        description={
          <>
            {rangeLabel(window.range)} · {window.timezone} · compared with {compareText}
          </>
        }
        actions={
          <>
            {loading ? (
              <Loader2Icon className="size-4 animate-spin text-muted-foreground" aria-label="Loading" />
            ) : null}
            <PeriodSwitch current={window.period} />
            <Button asChild variant="outline" size="sm" className="h-9">
              <Link to={reportsFor()}>
                <BarChart3Icon aria-hidden />
                Reports
              </Link>
            </Button>
          </>
        }
      />
      <Kpis role={role} now={now} before={before} />
      {empty ? (
        <div className="mt-6">
          <EmptyState
            icon={BarChart3Icon}
            title="No traffic in this period"
            description={
              role === 'affiliate'
                ? 'Clicks and conversions on your tracking links show here within seconds.'
                : role === 'advertiser'
                  ? 'Clicks and conversions on your offers show here within seconds of happening.'
                  : 'Clicks and conversions across the network show here within seconds.'
            }
            action={
              <Button asChild size="sm">
                <Link
                  to={role === 'affiliate' ? '/links' : role === 'advertiser' ? '/integration' : '/offers'}
                >
                  {role === 'affiliate'
                    ? 'Get your tracking links'
                    : role === 'advertiser'
                      ? 'Set up tracking'
                      : 'Open offers'}
                </Link>
              </Button>
            }
          />
        </div>
      ) : (
        <>
          <TrendCard
            role={role}
            metric={chartMetric}
            window={window}
            current={current}
            previous={previous}
            now={now}
          />
          <div className="mt-4 grid gap-4 lg:grid-cols-2">
            <TopTable
              title="Top offers"
              icon={BriefcaseIcon}
              nameLabel="Offer"
              items={topItems(
                offers,
                'offerId',
                role,
                (id) => names.offers[id] ?? `Offer #${id}`,
                (id) => reportsFor({ groupBy: 'offer', offerId: String(id) }),
              )}
              moneyLabel={metricLabel(
                role === 'advertiser' ? 'revenue' : role === 'affiliate' ? 'payout' : 'revenue',
                role,
              )}
              empty="No offer had traffic in this period."
              moreTo={reportsFor({ groupBy: 'offer' })}
            />
            {secondDimension === 'affiliate' ? (
              <TopTable
                title="Top affiliates"
                icon={UsersIcon}
                nameLabel="Affiliate"
                items={topItems(
                  seconds,
                  'affiliateId',
                  role,
                  (id) => names.affiliates[id] ?? `Affiliate #${id}`,
                  (id) => reportsFor({ groupBy: 'affiliate', affiliateId: String(id) }),
                )}
                moneyLabel={metricLabel('revenue', role)}
                empty="No affiliate sent traffic in this period."
                moreTo={reportsFor({ groupBy: 'affiliate' })}
              />
            ) : (
              <TopTable
                title="Top sub IDs"
                icon={HashIcon}
                nameLabel="Sub 1"
                items={topSubs(seconds, () => reportsFor({ groupBy: 'sub1' }))}
                moneyLabel={metricLabel('payout', role)}
                empty="No sub ID had traffic in this period."
                moreTo={reportsFor({ groupBy: 'sub1' })}
              />
            )}
          </div>
          <QualityCard totals={now} />
        </>
      )}
    </div>
  );
}

/** Currencies with money in them (or the first, so a row still says its currency). */
function nonZero(money: { currency: string; minor: number }[]) {
  const some = money.filter((m) => m.minor !== 0);
  return some.length ? some : money.slice(0, 1);
}

function lines(
  now: Totals,
  before: Totals,
  pick: (t: Totals, currency: string) => number | null,
  format: (value: number | null, currency: string) => string,
): KpiLine[] {
  const currencies = [
    ...new Set([...now.money.map((m) => m.currency), ...before.money.map((m) => m.currency)]),
  ];
  return currencies.map((currency) => {
    const a = pick(now, currency);
    const b = pick(before, currency);
    return {
      key: currency,
      value: format(a, currency),
      change: changeOf(a, b),
      previous: format(b, currency),
    };
  });
}

function Kpis({ role, now, before }: { role: Role; now: Totals; before: Totals }) {
  const count = (a: number, b: number): KpiLine[] => [
    { key: 'n', value: formatCount(a), change: changeOf(a, b), previous: formatCount(b) },
  ];
  const money = (field: 'revenueMinor' | 'payoutMinor' | 'profitMinor') =>
    lines(
      now,
      before,
      (t, c) => moneyIn(t, c)[field] ?? 0,
      (v, c) => formatMoney(v, c),
    );
  const perClick = (field: 'revenueMinor' | 'payoutMinor') =>
    lines(
      now,
      before,
      (t, c) => perClickOf(moneyIn(t, c)[field], moneyIn(t, c).cleanClicks),
      (v, c) => (v === null ? '–' : formatMoney(Math.round(v), c)),
    );
  const invalidShare = invalidShareOf(now);
  const clicks = (
    <KpiCard
      key="clicks"
      label="Clicks"
      lines={count(now.clicks, before.clicks)}
      help="Gross clicks: every click recorded, invalid ones included"
      hint={
        <>
          {formatCount(now.cleanClicks)} clean ·{' '}
          <span
            className={cn(
              invalidShare !== null && invalidShare > 0.1 && 'font-medium text-amber-700 dark:text-amber-400',
            )}
          >
            {formatPercent(invalidShare, 1)} invalid
          </span>
        </>
      }
    />
  );
  const conversions = (
    <KpiCard
      key="conversions"
      label="Conversions"
      lines={count(now.conversions, before.conversions)}
      help="Approved and pending conversions (rejected ones do not count)"
      hint={
        <>
          {formatCount(now.approvedConversions)} approved · {formatCount(now.pendingConversions)} pending
        </>
      }
    />
  );
  const cr = (
    <KpiCard
      key="cr"
      label="CR"
      help="Conversions per clean click"
      lines={[
        {
          key: 'cr',
          value: formatPercent(crOf(now)),
          change: changeOf(crOf(now), crOf(before)),
          previous: formatPercent(crOf(before)),
        },
      ]}
      hint="per clean click"
    />
  );
  const cards =
    role === 'admin'
      ? [
          <KpiCard key="revenue" label="Revenue" lines={money('revenueMinor')} hint="from advertisers" />,
          <KpiCard
            key="payout"
            label="Payout"
            lines={money('payoutMinor')}
            upIsGood={null}
            hint="to affiliates"
          />,
          <KpiCard key="profit" label="Profit" lines={money('profitMinor')} hint="revenue less payout" />,
          <KpiCard
            key="margin"
            label="Margin"
            lines={lines(now, before, marginIn, (v) => formatPercent(v, 1))}
            hint="profit per revenue"
          />,
          clicks,
          conversions,
          cr,
          <KpiCard key="epc" label="EPC" lines={perClick('payoutMinor')} hint="payout per clean click" />,
        ]
      : role === 'advertiser'
        ? [
            <KpiCard
              key="cost"
              label="Cost"
              lines={money('revenueMinor')}
              upIsGood={null}
              hint="approved + pending"
              className="col-span-2 md:col-span-1"
            />,
            clicks,
            conversions,
            cr,
            <KpiCard
              key="cpc"
              label="Cost per click"
              lines={perClick('revenueMinor')}
              upIsGood={false}
              hint="per clean click"
            />,
          ]
        : [
            <KpiCard
              key="earnings"
              label="Earnings"
              lines={money('payoutMinor')}
              hint="approved + pending"
              className="col-span-2 md:col-span-1"
            />,
            clicks,
            conversions,
            cr,
            <KpiCard key="epc" label="EPC" lines={perClick('payoutMinor')} hint="earnings per clean click" />,
          ];
  return (
    <section
      aria-label="Key figures"
      className={cn(
        'grid grid-cols-2 gap-3 md:grid-cols-3',
        role === 'admin' ? 'xl:grid-cols-4' : 'xl:grid-cols-5',
      )}
    >
      {cards}
    </section>
  );
}

function TrendCard({
  role,
  metric,
  window,
  current,
  previous,
  now,
}: {
  role: Role;
  metric: ChartMetric;
  window: ReturnType<typeof dashboardWindow>;
  current: ReportRow[];
  previous: ReportRow[];
  now: Totals;
}) {
  const [search] = useSearchParams();
  const moneyMetric = moneyFor(role)[0] ?? 'payout';
  const currency = now.money[0]?.currency ?? null;
  const reportMetric = metric === 'money' ? moneyMetric : metric;
  const label = metricLabel(reportMetric, role);
  const periods = periodsOf(window.range, window.granularity);
  const previousPeriods = periodsOf(window.previous, window.granularity);
  const byPeriod = new Map(seriesOf(current).map((s) => [s.period, s.totals]));
  const previousByPeriod = new Map(seriesOf(previous).map((s) => [s.period, s.totals]));
  const value = (t: Totals | undefined) => {
    if (!t) return 0;
    if (reportMetric === 'clicks' || reportMetric === 'conversions') return t[reportMetric];
    return currency ? (moneyIn(t, currency)[`${moneyMetric}Minor` as const] ?? 0) : 0;
  };
  const nowKey =
    window.untilHour === null ? null : `${window.range.to}T${String(window.untilHour).padStart(2, '0')}:00`;
  const data: TrendPoint[] = periods.map((period, i) => {
    const labels = periodLabels(period, false);
    const prior = previousPeriods[i];
    return {
      label: labels.short,
      title: labels.long,
      // Hours still to come are not zero: the line stops at now.
      current: nowKey !== null && period > nowKey ? null : value(byPeriod.get(period)),
      previous: prior ? value(previousByPeriod.get(prior)) : null,
      previousTitle: prior ? periodLabels(prior, false).long : undefined,
    };
  });
  const format = (v: number) => formatMetric(reportMetric, v, currency);
  return (
    <Card className="mt-4">
      <CardHeader className="flex-col gap-3 space-y-0 pb-2 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <CardTitle className="text-sm">
            {label} {window.granularity === 'hour' ? 'by hour' : 'by day'}
          </CardTitle>
          <p className="mt-1 text-xs text-muted-foreground">
            <span className="mr-3 inline-flex items-center gap-1.5">
              <span className="h-0.5 w-3 rounded bg-chart-1" aria-hidden />
              This period
            </span>
            <span className="inline-flex items-center gap-1.5">
              <span className="w-3 border-t border-dashed border-muted-foreground" aria-hidden />
              Previous
            </span>
            {metric === 'money' && now.money.length > 1 ? (
              <span className="ml-3">in {currency} (largest currency)</span>
            ) : null}
          </p>
        </div>
        <nav aria-label="Chart metric" className="inline-flex rounded-lg bg-muted p-0.5 text-xs">
          {CHART_METRICS.map((m) => {
            const params = new URLSearchParams(search);
            params.set('metric', m);
            const active = m === metric;
            return (
              <Link
                key={m}
                to={`?${params}`}
                replace
                preventScrollReset
                aria-current={active ? 'true' : undefined}
                className={cn(
                  'rounded-md px-2.5 py-1 font-medium text-muted-foreground transition-colors hover:text-foreground',
                  active && 'bg-card text-foreground shadow-sm',
                )}
              >
                {m === 'money' ? metricLabel(moneyMetric, role) : metricLabel(m, role)}
              </Link>
            );
          })}
        </nav>
      </CardHeader>
      <CardContent className="pl-1">
        <TrendChart
          data={data}
          format={format}
          axisFormat={(v) => formatAxis(reportMetric, v, currency)}
          label={label}
          compare
          height={240}
        />
      </CardContent>
    </Card>
  );
}

function topItems(
  rows: ReportRow[],
  field: 'offerId' | 'affiliateId',
  role: Role,
  name: (id: number) => string,
  to: (id: number) => string,
): TopItem[] {
  const byId = new Map<number, ReportRow[]>();
  for (const row of rows) {
    const id = row[field];
    if (typeof id !== 'number') continue;
    byId.set(id, [...(byId.get(id) ?? []), row]);
  }
  const moneyField = role === 'affiliate' ? 'payoutMinor' : 'revenueMinor';
  return [...byId.entries()]
    .map(([id, list]) => {
      const t = totalsOf(list);
      return {
        key: String(id),
        name: name(id),
        to: to(id),
        clicks: t.clicks,
        conversions: t.conversions,
        cr: crOf(t),
        money: nonZero(t.money.map((m) => ({ currency: m.currency, minor: m[moneyField] ?? 0 }))),
      };
    })
    .sort((a, b) => b.clicks - a.clicks || b.conversions - a.conversions)
    .slice(0, 6);
}

function topSubs(rows: ReportRow[], to: () => string): TopItem[] {
  const bySub = new Map<string, ReportRow[]>();
  for (const row of rows) bySub.set(row.sub1 ?? '', [...(bySub.get(row.sub1 ?? '') ?? []), row]);
  return [...bySub.entries()]
    .map(([sub, list]) => {
      const t = totalsOf(list);
      return {
        key: sub,
        name: sub || '(none)',
        to: to(),
        clicks: t.clicks,
        conversions: t.conversions,
        cr: crOf(t),
        money: nonZero(t.money.map((m) => ({ currency: m.currency, minor: m.payoutMinor ?? 0 }))),
      };
    })
    .sort((a, b) => b.clicks - a.clicks)
    .slice(0, 6);
}
