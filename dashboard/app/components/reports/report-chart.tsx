import { useId } from 'react';
import { TrendChart, type TrendPoint } from '~/components/charts/trend-chart';
import { Card, CardContent, CardHeader, CardTitle } from '~/components/ui/card';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { periodLabels, periodsOf } from './labels';
import { formatAxis, formatMetric, isMoney, metricValue } from './metrics';
import type { Totals } from './report-math';
import {
  type DateRange,
  daysIn,
  hourIn,
  type Metric,
  metricLabel,
  metricsFor,
  type ReportView,
  type Role,
  todayIn,
} from './report-view';

/**
 * The report's main metric over time (every period of the range, empty ones at zero), the
 * previous period dashed behind it when compared. Money is charted one currency at a time.
 */
export function ReportChartCard({
  view,
  role,
  series,
  previousSeries,
  previousRange,
  granularity,
  currencies,
  onChange,
}: {
  view: ReportView;
  role: Role;
  series: { period: string; totals: Totals }[];
  previousSeries: { period: string; totals: Totals }[] | null;
  previousRange: DateRange;
  granularity: 'hour' | 'day';
  currencies: string[];
  onChange: (changes: Partial<ReportView>) => void;
}) {
  const id = useId();
  const metric = view.metric;
  const currency =
    view.currency && currencies.includes(view.currency) ? view.currency : (currencies[0] ?? null);
  const byPeriod = new Map(series.map((s) => [s.period, s.totals]));
  const previousByPeriod = new Map((previousSeries ?? []).map((s) => [s.period, s.totals]));
  const periods = periodsOf(view.range, granularity);
  const previousPeriods = periodsOf(previousRange, granularity);
  const multiDay = daysIn(view.range) > 1;
  // Periods still to come are not zeros: the line stops at the current one.
  const nowPeriod =
    granularity === 'hour'
      ? `${todayIn(view.timezone)}T${String(hourIn(view.timezone)).padStart(2, '0')}:00`
      : todayIn(view.timezone);
  const value = (t: Totals | undefined, m: Metric) => {
    if (!t) return m === 'cr' || m === 'epc' ? null : 0;
    return metricValue(t, m, role, currency);
  };
  const data: TrendPoint[] = periods.map((period, i) => {
    const labels = periodLabels(period, multiDay);
    const prior = previousPeriods[i];
    return {
      label: labels.short,
      title: labels.long,
      current: period > nowPeriod ? null : value(byPeriod.get(period), metric),
      ...(previousSeries
        ? {
            previous: prior ? value(previousByPeriod.get(prior), metric) : null,
            previousTitle: prior ? periodLabels(prior, multiDay).long : undefined,
          }
        : {}),
    };
  });
  const label = metricLabel(metric, role);
  return (
    <Card>
      <CardHeader className="flex-col gap-3 space-y-0 pb-2 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <CardTitle className="text-sm">
            {label} by {granularity}
            {isMoney(metric) && currency ? ` (${currency})` : ''}
          </CardTitle>
          {previousSeries ? (
            <p className="mt-1 text-xs text-muted-foreground">
              <span className="mr-3 inline-flex items-center gap-1.5">
                <span className="h-0.5 w-3 rounded bg-chart-1" aria-hidden />
                This period
              </span>
              <span className="inline-flex items-center gap-1.5">
                <span className="w-3 border-t border-dashed border-muted-foreground" aria-hidden />
                Previous period
              </span>
            </p>
          ) : null}
        </div>
        <div className="flex items-end gap-2">
          <div className="grid gap-1">
            <Label htmlFor={`${id}-metric`} className="text-xs text-muted-foreground">
              Metric
            </Label>
            <NativeSelect
              id={`${id}-metric`}
              className="w-40"
              value={metric}
              onChange={(e) => onChange({ metric: e.target.value as Metric, page: view.page })}
            >
              {metricsFor(role).map((m) => (
                <option key={m} value={m}>
                  {metricLabel(m, role)}
                </option>
              ))}
            </NativeSelect>
          </div>
          {isMoney(metric) && currencies.length > 1 ? (
            <div className="grid gap-1">
              <Label htmlFor={`${id}-currency`} className="text-xs text-muted-foreground">
                Currency
              </Label>
              <NativeSelect
                id={`${id}-currency`}
                className="w-24"
                value={currency ?? ''}
                onChange={(e) => onChange({ currency: e.target.value, page: view.page })}
              >
                {currencies.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </NativeSelect>
            </div>
          ) : null}
        </div>
      </CardHeader>
      <CardContent className="pl-1">
        <TrendChart
          data={data}
          label={label}
          compare={previousSeries !== null}
          format={(v) => formatMetric(metric, v, currency)}
          axisFormat={(v) => formatAxis(metric, v, currency)}
          height={240}
        />
      </CardContent>
    </Card>
  );
}
