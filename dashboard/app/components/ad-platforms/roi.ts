import type { RoiRow } from './ad-platform-text';

export type RoiTotals = {
  currency: string;
  conversions: number;
  saleAmountMinor: number;
  revenueMinor: number;
  payoutMinor: number | null;
  costMinor: number;
  profitMinor: number;
  roas: number | null;
  roi: number | null;
};

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/**
 * One totals row per currency (figures are never added across currencies), with ROAS and ROI
 * worked out as the API does for a row: ROAS = sale amount / cost; ROI = profit / what was spent
 * (payout + cost for admins, revenue + cost for advertisers).
 */
export function roiTotals(rows: RoiRow[], admin: boolean): RoiTotals[] {
  const byCurrency = new Map<string, RoiTotals>();
  for (const row of rows) {
    const t = byCurrency.get(row.currency) ?? {
      currency: row.currency,
      conversions: 0,
      saleAmountMinor: 0,
      revenueMinor: 0,
      payoutMinor: admin ? 0 : null,
      costMinor: 0,
      profitMinor: 0,
      roas: null,
      roi: null,
    };
    t.conversions += row.conversions;
    t.saleAmountMinor += row.saleAmountMinor;
    t.revenueMinor += row.revenueMinor;
    if (t.payoutMinor !== null) t.payoutMinor += row.payoutMinor ?? 0;
    t.costMinor += row.costMinor;
    t.profitMinor += row.profitMinor;
    byCurrency.set(row.currency, t);
  }
  return [...byCurrency.values()]
    .sort((a, b) => a.currency.localeCompare(b.currency))
    .map((t) => ({
      ...t,
      roas: ratio(t.saleAmountMinor, t.costMinor),
      roi: ratio(t.profitMinor, admin ? (t.payoutMinor ?? 0) + t.costMinor : t.revenueMinor + t.costMinor),
    }));
}

/** 2.5 -> "2.50×". */
export function formatRoas(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(2)}×`;
}

/** 0.256 -> "25.6%". */
export function formatRoi(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(1)}%`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The report's range from the URL: the last 30 UTC days by default; a bad or reversed range falls back. */
export function roiRange(params: URLSearchParams, now = new Date()): { from: string; to: string } {
  const today = now.toISOString().slice(0, 10);
  const defaultFrom = new Date(Date.parse(today) - 29 * 86_400_000).toISOString().slice(0, 10);
  const valid = (v: string | null) => (v && DAY.test(v) && !Number.isNaN(Date.parse(v)) ? v : null);
  const from = valid(params.get('from')) ?? defaultFrom;
  const to = valid(params.get('to')) ?? today;
  return from <= to ? { from, to } : { from: defaultFrom, to: today };
}
