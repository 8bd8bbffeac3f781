import { z } from 'zod';
import { MAX_SALE_AMOUNT_MINOR } from './minor-units.ts';

// The arithmetic needs no zod, so it lives in minor-units.ts: the dashboard's pages import it from
// there and format money in the browser without zod's weight.
export {
  convertMinorUnits,
  currencyExponent,
  formatDecimalAmount,
  MAX_SALE_AMOUNT_MINOR,
  type ParseMoneyError,
  parseDecimalAmount,
} from './minor-units.ts';

/**
 * Money is an integer count of the currency's minor unit (cents for USD, yen for JPY, fils for
 * KWD) with its ISO 4217 code. Never a float: a decimal string is parsed digit by digit.
 */
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals, e.g. USD')
  .describe('ISO 4217 currency code');
export type Currency = z.infer<typeof currencySchema>;

export const minorUnitsSchema = z
  .number()
  .int()
  .min(-Number.MAX_SAFE_INTEGER)
  .max(Number.MAX_SAFE_INTEGER)
  .describe('Amount in the minor unit of the currency (e.g. cents)');

export const moneySchema = z.object({ amountMinor: minorUnitsSchema, currency: currencySchema });

/** A sale amount as conversions carry it: never negative (only an operator adjusts money down). */
export const saleAmountMinorSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_SALE_AMOUNT_MINOR)
  .describe('Sale amount in the minor unit of the currency, 0..10^14');

/** A positive decimal exchange rate as text ("0.0067", "151.25"), exact: never a float. */
export const exchangeRateTextSchema = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,12})?$/, 'a positive decimal, e.g. 0.0067')
  .refine((text) => /[1-9]/.test(text), 'must be greater than 0');

export const exchangeRateSchema = z
  .object({
    from: currencySchema,
    to: currencySchema,
    rate: exchangeRateTextSchema.describe('Units of `to` for one unit of `from`'),
  })
  .refine((r) => r.from !== r.to, 'from and to must differ')
  .describe('A configured conversion rate between two currencies');
export type ExchangeRate = z.infer<typeof exchangeRateSchema>;

export type Money = z.infer<typeof moneySchema>;
