import { KpiCard, type KpiLine } from '~/components/dashboard/kpi-card';
import { Skeleton } from '~/components/ui/misc';
import { formatCount, formatMoney, formatPercent } from '~/lib/format';
import { cn } from '~/lib/utils';
import { changeOf, crOf, invalidShareOf, marginOf, moneyIn, perClickOf, type Totals } from './report-math';
import { metricLabel, moneyFor, type Role } from './report-view';

/**
 * The report's totals in a row of figures, each against the previous period when compared.
 * Money one line per currency.
 */
export function ReportSummary({
  role,
  totals,
  previous,
}: {
  role: Role;
  totals: Totals;
  previous: Totals | null;
}) {
  const count = (pick: (t: Totals) => number): KpiLine[] => {
    const now = pick(totals);
    const before = previous ? pick(previous) : null;
    return [
      {
        key: 'n',
        value: formatCount(now),
        change: changeOf(now, before),
        previous: before === null ? undefined : formatCount(before),
      },
    ];
  };
  const currencies = [...new Set([...totals.money, ...(previous?.money ?? [])].map((m) => m.currency))];
  const perCurrency = (
    pick: (t: Totals, currency: string) => number | null,
    format: (v: number | null, currency: string) => string,
  ): KpiLine[] => {
    const shown = currencies.filter((c) => pick(totals, c) || (previous && pick(previous, c)));
    return (shown.length ? shown : currencies.slice(0, 1)).map((currency) => {
      const now = pick(totals, currency);
      const before = previous ? pick(previous, currency) : null;
      return {
        key: currency,
        value: format(now, currency),
        change: changeOf(now, before),
        previous: previous ? format(before, currency) : undefined,
      };
    });
  };
  const money = moneyFor(role);
  const invalidShare = invalidShareOf(totals);
  const epcField = role === 'advertiser' ? 'revenueMinor' : 'payoutMinor';
  return (
    <section
      aria-label="Totals"
      className={cn(
        'grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4',
        role === 'admin' ? '2xl:grid-cols-8' : 'xl:grid-cols-5',
      )}
    >
      <KpiCard
        size="sm"
        label="Clicks"
        lines={count((t) => t.clicks)}
        hint={`${formatCount(totals.cleanClicks)} clean · ${formatPercent(invalidShare, 1)} invalid`}
      />
      <KpiCard
        size="sm"
        label="Conversions"
        lines={count((t) => t.conversions)}
        hint={`${formatCount(totals.approvedConversions)} appr. · ${formatCount(totals.pendingConversions)} pend. · ${formatCount(totals.rejectedConversions)} rej.`}
      />
      <KpiCard
        size="sm"
        label="CR"
        lines={[
          {
            key: 'cr',
            value: formatPercent(crOf(totals)),
            change: previous ? changeOf(crOf(totals), crOf(previous)) : null,
            previous: previous ? formatPercent(crOf(previous)) : undefined,
          },
        ]}
        hint="per clean click"
      />
      <KpiCard
        size="sm"
        label={metricLabel('epc', role)}
        upIsGood={role !== 'advertiser'}
        lines={perCurrency(
          (t, c) => perClickOf(moneyIn(t, c)[epcField], moneyIn(t, c).cleanClicks),
          (v, c) => (v === null ? '–' : formatMoney(Math.round(v), c)),
        )}
        hint="per clean click"
      />
      {money.map((field) => (
        <KpiCard
          size="sm"
          key={field}
          label={metricLabel(field, role)}
          upIsGood={
            (field === 'payout' && role === 'admin') || (field === 'revenue' && role === 'advertiser')
              ? null
              : true
          }
          lines={perCurrency(
            (t, c) => moneyIn(t, c)[`${field}Minor` as const] ?? 0,
            (v, c) => formatMoney(v, c),
          )}
        />
      ))}
      {role === 'admin' ? (
        <KpiCard
          size="sm"
          label="Margin"
          lines={perCurrency(
            (t, c) => marginOf(moneyIn(t, c)),
            (v) => formatPercent(v, 1),
          )}
        />
      ) : null}
    </section>
  );
}

export function ReportSkeleton() {
  return (
    <div aria-busy="true" className="grid gap-4">
      <span className="sr-only">Loading</span>
      <Skeleton className="h-36 rounded-xl" />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {['a', 'b', 'c', 'd'].map((k) => (
          <Skeleton key={k} className="h-24 rounded-xl" />
        ))}
      </div>
      <Skeleton className="h-72 rounded-xl" />
      <Skeleton className="h-96 rounded-xl" />
    </div>
  );
}
