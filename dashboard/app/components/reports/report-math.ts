import type { ReportRow } from './report-view';

/**
 * Sums of report rows. Counts add across currencies; money never does: each currency keeps its
 * own sums, and the clean clicks and conversions of its rows, so EPC and margin are per currency.
 */
export type Counts = {
  clicks: number;
  uniqueClicks: number;
  cleanClicks: number;
  invalidClicks: number;
  botClicks: number;
  duplicateClicks: number;
  blockedClicks: number;
  velocityClicks: number;
  conversions: number;
  approvedConversions: number;
  pendingConversions: number;
  rejectedConversions: number;
};

export type Money = {
  currency: string;
  cleanClicks: number;
  revenueMinor: number | null;
  payoutMinor: number | null;
  profitMinor: number | null;
};

export type Totals = Counts & { money: Money[] };

const COUNT_KEYS: (keyof Counts)[] = [
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
];

export function emptyTotals(): Totals {
  const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Counts;
  return { ...counts, money: [] };
}

const add = (a: number | null, b: number | undefined) => (b === undefined ? a : (a ?? 0) + b);

/** Adds rows up, money per currency (currencies in order of their clean clicks, most first). */
export function totalsOf(rows: readonly ReportRow[]): Totals {
  const totals = emptyTotals();
  const money = new Map<string, Money>();
  for (const row of rows) {
    for (const key of COUNT_KEYS) totals[key] += row[key] ?? 0;
    const m = money.get(row.currency) ?? {
      currency: row.currency,
      cleanClicks: 0,
      revenueMinor: null,
      payoutMinor: null,
      profitMinor: null,
    };
    m.cleanClicks += row.cleanClicks;
    m.revenueMinor = add(m.revenueMinor, row.revenueMinor);
    m.payoutMinor = add(m.payoutMinor, row.payoutMinor);
    m.profitMinor = add(m.profitMinor, row.profitMinor);
    money.set(row.currency, m);
  }
  totals.money = [...money.values()].sort(
    (a, b) => moneyWeight(b) - moneyWeight(a) || a.currency.localeCompare(b.currency),
  );
  return totals;
}

const moneyWeight = (m: Money) => Math.abs(m.revenueMinor ?? m.payoutMinor ?? 0) || m.cleanClicks;

/** Conversions per clean click. */
export function crOf(t: Pick<Counts, 'conversions' | 'cleanClicks'>): number | null {
  return t.cleanClicks ? t.conversions / t.cleanClicks : null;
}

export function invalidShareOf(t: Pick<Counts, 'clicks' | 'invalidClicks'>): number | null {
  return t.clicks ? t.invalidClicks / t.clicks : null;
}

/** Money per clean click of its currency, in minor units (fractional). */
export function perClickOf(amountMinor: number | null, cleanClicks: number): number | null {
  return amountMinor === null || !cleanClicks ? null : amountMinor / cleanClicks;
}

export function marginOf(m: Pick<Money, 'profitMinor' | 'revenueMinor'>): number | null {
  return m.profitMinor === null || !m.revenueMinor ? null : m.profitMinor / m.revenueMinor;
}

/** Relative change from `before` to `now`: null when there is nothing to compare with. */
export function changeOf(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return (now - before) / Math.abs(before);
}

/** The money of one currency in totals, or an empty one. */
export function moneyIn(totals: Totals, currency: string): Money {
  return (
    totals.money.find((m) => m.currency === currency) ?? {
      currency,
      cleanClicks: 0,
      revenueMinor: null,
      payoutMinor: null,
      profitMinor: null,
    }
  );
}

/** Rows summed per period (across dimensions), each with its totals, in period order. */
export function seriesOf(rows: readonly ReportRow[]): { period: string; totals: Totals }[] {
  const byPeriod = new Map<string, ReportRow[]>();
  for (const row of rows) {
    const key = row.period ?? '';
    const list = byPeriod.get(key) ?? [];
    list.push(row);
    byPeriod.set(key, list);
  }
  return [...byPeriod.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, list]) => ({ period, totals: totalsOf(list) }));
}
