import { formatDecimalAmount } from '@tas/shared/money';

const numberFormat = new Intl.NumberFormat('en-US');
const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** 12345 -> "12,345". */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : numberFormat.format(value);
}

/** 1234567 -> "1.2M", for chart axes. */
export function formatCompact(value: number): string {
  return compactFormat.format(value);
}

/**
 * Minor units as money in their currency, exactly (1234 USD -> "$12.34", 500 JPY -> "¥500"):
 * the digits come from the shared exact formatter, never from float arithmetic.
 */
export function formatMoney(
  amountMinor: number | null | undefined,
  currency: string | null | undefined,
): string {
  if (amountMinor === null || amountMinor === undefined || !currency) return '–';
  const decimal = formatDecimalAmount(amountMinor, currency);
  const negative = decimal.startsWith('-');
  const [whole = '0', fraction] = (negative ? decimal.slice(1) : decimal).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const symbol = CURRENCY_SYMBOLS[currency];
  const body = fraction === undefined ? grouped : `${grouped}.${fraction}`;
  const text = symbol ? `${symbol}${body}` : `${body} ${currency}`;
  return negative ? `-${text}` : text;
}

const CURRENCY_SYMBOLS: Record<string, string> = {
  USD: '$',
  EUR: '€',
  GBP: '£',
  JPY: '¥',
  INR: '₹',
  BRL: 'R$',
};

/** A rate as a percentage: 0.0234 -> "2.34%". */
export function formatPercent(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(digits)}%`;
}

/** Basis points as a percentage: 1250 -> "12.5%". */
export function formatBps(bps: number): string {
  const text = (bps / 100).toFixed(2);
  return `${text.replace(/\.00$/, '').replace(/(\.\d)0$/, '$1')}%`;
}

/** An instant as the viewer reads it, in a given zone: "Nov 29, 14:05". */
export function formatDateTime(iso: string | null | undefined, timeZone = 'UTC'): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined, timeZone = 'UTC'): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone,
  }).format(new Date(iso));
}
