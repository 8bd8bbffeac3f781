import { formatDecimalAmount } from '@tas/shared/minor-units';

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
    // h23, not hour12: false: Node's ICU writes midnight as "24:58" with the latter, the browser "00:58".
    hourCycle: 'h23',
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

/**
 * How long ago an instant was, against `now` (given by the loader, so server and browser render
 * the same text): "just now", "5 min ago", "3 h ago", "2 d ago", then the date.
 */
export function formatAgo(iso: string | null | undefined, now: string | Date): string {
  if (!iso) return '–';
  const seconds = Math.round((new Date(now).getTime() - new Date(iso).getTime()) / 1000);
  if (seconds < 0) {
    const ahead = -seconds;
    if (ahead < 60) return 'in a moment';
    if (ahead < 3600) return `in ${Math.round(ahead / 60)} min`;
    if (ahead < 86_400) return `in ${Math.round(ahead / 3600)} h`;
    return `in ${Math.round(ahead / 86_400)} d`;
  }
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  if (seconds < 30 * 86_400) return `${Math.round(seconds / 86_400)} d ago`;
  return formatDate(iso);
}

/** A duration in seconds for people: "0.4 s", "12 s", "3 min 20 s", "2 h 5 min". */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  const abs = Math.abs(seconds);
  const sign = seconds < 0 ? '-' : '';
  if (abs < 10) return `${sign}${abs.toFixed(1)} s`;
  if (abs < 60) return `${sign}${Math.round(abs)} s`;
  if (abs < 3600) {
    const m = Math.floor(abs / 60);
    const s = Math.round(abs % 60);
    return `${sign}${m} min${s ? ` ${s} s` : ''}`;
  }
  const h = Math.floor(abs / 3600);
  const m = Math.round((abs % 3600) / 60);
  return `${sign}${h} h${m ? ` ${m} min` : ''}`;
}
