import { currencyExponent, formatDecimalAmount, parseDecimalAmount } from '@tas/shared/minor-units';

/**
 * Amounts as people type them and as the API counts them. Money is typed as a decimal in the
 * offer's currency ("12.50") and sent in minor units (1250), digit by digit, never through a
 * float; a revenue share is typed as a percentage ("12.5") and sent in basis points (1250).
 */

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

/** "12.50" in USD -> 1250; more decimals than the currency has is an error, not a rounding. */
export function parseMoneyText(text: string, currency: string): Parsed {
  const trimmed = text.trim().replace(/,/g, '');
  if (trimmed === '') return { ok: false, message: 'Enter an amount' };
  if (trimmed.startsWith('-')) return { ok: false, message: 'The amount cannot be negative' };
  const parsed = parseDecimalAmount(trimmed, currency);
  if (parsed.ok) return { ok: true, value: parsed.amountMinor };
  const digits = currencyExponent(currency);
  if (parsed.error === 'too_many_decimals')
    return {
      ok: false,
      message:
        digits === 0
          ? `${currency} has no decimals`
          : `${currency} has at most ${digits} decimal${digits === 1 ? '' : 's'}`,
    };
  if (parsed.error === 'out_of_range') return { ok: false, message: 'The amount is too large' };
  return { ok: false, message: 'Enter an amount like 12.50' };
}

/** "12.5" (%) -> 1250 basis points, exactly; 0..100 with at most two decimals. */
export function parsePercentText(text: string): Parsed {
  const trimmed = text.trim().replace(/%$/, '').trim();
  if (trimmed === '') return { ok: false, message: 'Enter a percentage' };
  const match = /^(\d{1,3})(?:\.(\d{1,8}))?$/.exec(trimmed);
  if (!match) return { ok: false, message: 'Enter a percentage like 12.5' };
  const [, whole = '0', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > 2) return { ok: false, message: 'At most two decimals (0.01% steps)' };
  const bps = Number(whole) * 100 + Number(significant.padEnd(2, '0') || '0');
  if (bps > 10_000) return { ok: false, message: 'At most 100%' };
  return { ok: true, value: bps };
}

/** Minor units as the decimal a person edits: 1250 USD -> "12.50". */
export function moneyText(amountMinor: number, currency: string): string {
  return formatDecimalAmount(amountMinor, currency);
}

/** Basis points as the percentage a person edits: 1250 -> "12.5". */
export function percentText(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const fraction = String(bps % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** The symbol or code shown beside a money input. */
export function currencyAdornment(currency: string): string {
  const symbols: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', INR: '₹', BRL: 'R$' };
  return symbols[currency] ?? currency;
}
