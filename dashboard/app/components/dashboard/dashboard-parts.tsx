import { ShieldAlertIcon } from 'lucide-react';
import { Link, useSearchParams } from 'react-router';
import type { Totals } from '~/components/reports/report-math';
import { Card, CardContent, CardHeader, CardTitle } from '~/components/ui/card';
import { Skeleton } from '~/components/ui/misc';
import { formatCount, formatPercent } from '~/lib/format';
import { cn } from '~/lib/utils';
import { DASHBOARD_PERIODS, type DashboardPeriod, PERIOD_LABEL } from './dashboard-period';

/** Today / 7 days / 30 days, as links (the period lives in the URL). */
export function PeriodSwitch({ current }: { current: DashboardPeriod }) {
  const [params] = useSearchParams();
  return (
    <nav aria-label="Period" className="inline-flex h-9 items-center rounded-lg bg-muted p-1 text-sm">
      {DASHBOARD_PERIODS.map((period) => {
        const next = new URLSearchParams(params);
        next.set('period', period);
        const active = period === current;
        return (
          <Link
            key={period}
            to={`?${next}`}
            preventScrollReset
            aria-current={active ? 'page' : undefined}
            className={cn(
              'rounded-md px-3 py-1 font-medium text-muted-foreground transition-colors hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
              active && 'bg-card text-foreground shadow-sm',
            )}
          >
            {PERIOD_LABEL[period]}
          </Link>
        );
      })}
    </nav>
  );
}

/** What the headline figures leave out: invalid clicks by reason, conversions by status. */
export function QualityCard({ totals }: { totals: Totals }) {
  const invalid = [
    { label: 'Bots', value: totals.botClicks },
    { label: 'Duplicates', value: totals.duplicateClicks },
    { label: 'Blocked', value: totals.blockedClicks },
    { label: 'Velocity', value: totals.velocityClicks },
  ];
  const statuses = [
    { label: 'Approved', value: totals.approvedConversions, className: 'bg-success' },
    { label: 'Pending', value: totals.pendingConversions, className: 'bg-warning' },
    { label: 'Rejected', value: totals.rejectedConversions, className: 'bg-destructive' },
  ];
  const all = statuses.reduce((n, s) => n + s.value, 0);
  return (
    <div className="mt-4 grid gap-4 md:grid-cols-2">
      <Card>
        <CardHeader className="pb-2">
          <CardTitle className="flex items-center gap-2 text-sm">
            <ShieldAlertIcon className="size-4 text-muted-foreground" aria-hidden />
            Invalid clicks
            <span className="ml-auto text-xs font-normal text-muted-foreground">
              {formatCount(totals.invalidClicks)} of {formatCount(totals.clicks)} (
              {formatPercent(totals.clicks ? totals.invalidClicks / totals.clicks : null, 1)})
            </span>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            {invalid.map((item) => (
              <div key={item.label} className="rounded-lg bg-muted/50 px-3 py-2">
                <dt className="text-xs text-muted-foreground">{item.label}</dt>
                <dd className="text-base font-semibold tabular-nums">{formatCount(item.value)}</dd>
              </div>
            ))}
          </dl>
          <p className="mt-2 text-xs text-muted-foreground">
            Counted in gross clicks, never paid, left out of CR and EPC. A click may have several reasons.
          </p>
        </CardContent>
      </Card>
      <Card>
        <CardHeader className="pb-2">
          <CardTitle className="flex items-center gap-2 text-sm">
            Conversions by status
            <span className="ml-auto text-xs font-normal text-muted-foreground">
              {formatCount(all)} in all
            </span>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <div className="flex h-2 overflow-hidden rounded-full bg-muted" aria-hidden>
            {statuses.map((s) =>
              s.value ? (
                <span
                  key={s.label}
                  className={s.className}
                  style={{ width: `${(s.value / Math.max(all, 1)) * 100}%` }}
                />
              ) : null,
            )}
          </div>
          <dl className="mt-3 grid grid-cols-3 gap-2">
            {statuses.map((s) => (
              <div key={s.label}>
                <dt className="flex items-center gap-1.5 text-xs text-muted-foreground">
                  <span className={cn('size-2 rounded-full', s.className)} aria-hidden />
                  {s.label}
                </dt>
                <dd className="text-base font-semibold tabular-nums">
                  {formatCount(s.value)}
                  <span className="ml-1.5 text-xs font-normal text-muted-foreground">
                    {formatPercent(all ? s.value / all : null, 0)}
                  </span>
                </dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
    </div>
  );
}

export function DashboardSkeleton() {
  return (
    <div aria-busy="true" className="grid gap-4">
      <span className="sr-only">Loading</span>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">
        {['a', 'b', 'c', 'd', 'e'].map((k) => (
          <Skeleton key={k} className="h-28 rounded-xl" />
        ))}
      </div>
      <Skeleton className="h-72 rounded-xl" />
      <div className="grid gap-4 lg:grid-cols-2">
        <Skeleton className="h-64 rounded-xl" />
        <Skeleton className="h-64 rounded-xl" />
      </div>
    </div>
  );
}
