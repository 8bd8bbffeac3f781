import { formatCompact, formatCount, formatMoney, formatPercent } from '~/lib/format';
import { crOf, marginOf, moneyIn, perClickOf, type Totals } from './report-math';
import type { Metric, Role } from './report-view';

/** Whether a metric is money (in one currency at a time). */
export function isMoney(metric: Metric): boolean {
  return metric === 'revenue' || metric === 'payout' || metric === 'profit' || metric === 'epc';
}

/** A metric of some totals; money ones in `currency`, EPC on what the role earns or pays. */
export function metricValue(
  totals: Totals,
  metric: Metric,
  role: Role,
  currency: string | null,
): number | null {
  switch (metric) {
    case 'clicks':
    case 'cleanClicks':
    case 'conversions':
      return totals[metric];
    case 'cr':
      return crOf(totals);
  }
  if (!currency) return null;
  const money = moneyIn(totals, currency);
  switch (metric) {
    case 'revenue':
      return money.revenueMinor ?? 0;
    case 'payout':
      return money.payoutMinor ?? 0;
    case 'profit':
      return money.profitMinor ?? 0;
    case 'epc':
      return perClickOf(role === 'advertiser' ? money.revenueMinor : money.payoutMinor, money.cleanClicks);
  }
}

/** A metric's value as a person reads it. */
export function formatMetric(metric: Metric, value: number | null, currency: string | null): string {
  if (value === null) return '–';
  if (metric === 'cr') return formatPercent(value);
  if (isMoney(metric)) return formatMoney(Math.round(value), currency);
  return formatCount(value);
}

const fractionDigits = (currency: string) => {
  try {
    return (
      new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
};

/** Short axis labels: "1.2K", "$3.4K", "2.5%". Approximate by design; figures elsewhere are exact. */
export function formatAxis(metric: Metric, value: number, currency: string | null): string {
  if (metric === 'cr') return `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
  if (isMoney(metric) && currency) {
    const major = value / 10 ** fractionDigits(currency);
    const text = formatMoney(0, currency).replace(/[\d.,]+/, formatCompact(major));
    return text;
  }
  return formatCompact(value);
}

/** Margin of one currency of some totals. */
export function marginIn(totals: Totals, currency: string): number | null {
  return marginOf(moneyIn(totals, currency));
}
