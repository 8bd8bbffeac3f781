/**
 * Exact arithmetic on money as an integer count of a currency's minor unit (cents for USD, yen
 * for JPY, fils for KWD): parsing and formatting decimals digit by digit, converting at a decimal
 * rate in BigInt. No zod here, so a browser bundle can format money without it; the schemas are
 * in money.ts.
 */

/**
 * The largest sale amount a conversion may report, in minor units (10^14: a trillion dollars in
 * cents, 100 trillion yen). Far above any real order, and low enough that sums of many of them
 * and revenue-share products stay exact in a Postgres bigint and a JS number.
 */
export const MAX_SALE_AMOUNT_MINOR = 10 ** 14;

/**
 * Converts minor units of `from` into minor units of `to` at `rate` (units of `to` per unit of
 * `from`), exactly, rounding half up. Works in BigInt so that no float ever touches money. Null
 * when the result is above MAX_SALE_AMOUNT_MINOR.
 */
export function convertMinorUnits(
  amountMinor: number,
  from: string,
  to: string,
  rate: string,
): number | null {
  const [whole, fraction = ''] = rate.split('.');
  const rateScaled = BigInt(whole! + fraction);
  const numerator = BigInt(amountMinor) * rateScaled * 10n ** BigInt(currencyExponent(to));
  const denominator = 10n ** BigInt(currencyExponent(from) + fraction.length);
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const rounded = remainder * 2n >= denominator ? quotient + 1n : quotient;
  return rounded > BigInt(MAX_SALE_AMOUNT_MINOR) ? null : Number(rounded);
}

// ISO 4217 currencies whose minor unit is not 1/100. Everything else has two decimals.
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Number of decimals of the currency's minor unit. */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

export type ParseMoneyError = 'invalid_amount' | 'too_many_decimals' | 'out_of_range';

/**
 * Parses a decimal amount as sent by advertisers ("12", "12.5", "12.50", "-3.10") into minor
 * units. More decimals than the currency has is an error rather than a silent rounding.
 */
export function parseDecimalAmount(
  text: string,
  currency: string,
): { ok: true; amountMinor: number } | { ok: false; error: ParseMoneyError } {
  const match = /^(-?)(\d{1,15})(?:\.(\d{1,8}))?$/.exec(text.trim());
  if (!match) return { ok: false, error: 'invalid_amount' };
  const [, sign, whole, fraction = ''] = match;
  const exponent = currencyExponent(currency);
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) return { ok: false, error: 'too_many_decimals' };
  const minor = BigInt(whole!) * 10n ** BigInt(exponent) + BigInt(significant.padEnd(exponent, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, error: 'out_of_range' };
  const amountMinor = Number(minor);
  return { ok: true, amountMinor: sign === '-' && amountMinor !== 0 ? -amountMinor : amountMinor };
}

/** Formats minor units as a plain decimal string ("1234" USD -> "12.34"), for macros and CSV. */
export function formatDecimalAmount(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = amountMinor < 0;
  const digits = Math.abs(amountMinor)
    .toString()
    .padStart(exponent + 1, '0');
  const text = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return negative ? `-${text}` : text;
}
