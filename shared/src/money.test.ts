import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  convertMinorUnits,
  exchangeRateTextSchema,
  formatDecimalAmount,
  MAX_SALE_AMOUNT_MINOR,
  parseDecimalAmount,
} from './money.ts';

describe('money', () => {
  it('parses decimal amounts into exact minor units per currency', () => {
    expect(parseDecimalAmount('12.34', 'USD')).toEqual({ ok: true, amountMinor: 1234 });
    expect(parseDecimalAmount('12.5', 'EUR')).toEqual({ ok: true, amountMinor: 1250 });
    expect(parseDecimalAmount('0.1', 'USD')).toEqual({ ok: true, amountMinor: 10 });
    expect(parseDecimalAmount('1500', 'JPY')).toEqual({ ok: true, amountMinor: 1500 });
    expect(parseDecimalAmount('1.234', 'KWD')).toEqual({ ok: true, amountMinor: 1234 });
    expect(parseDecimalAmount('-3.10', 'USD')).toEqual({ ok: true, amountMinor: -310 });
    expect(parseDecimalAmount('2.50000', 'USD')).toEqual({ ok: true, amountMinor: 250 });
  });

  it('refuses what is not an exact amount', () => {
    expect(parseDecimalAmount('12.345', 'USD')).toEqual({ ok: false, error: 'too_many_decimals' });
    expect(parseDecimalAmount('1.5', 'JPY')).toEqual({ ok: false, error: 'too_many_decimals' });
    for (const bad of ['', 'abc', '1e3', '1,50', '.5', '5.', 'NaN', 'Infinity', '0x10', '+1']) {
      expect(parseDecimalAmount(bad, 'USD')).toEqual({ ok: false, error: 'invalid_amount' });
    }
    expect(parseDecimalAmount('999999999999999', 'USD')).toEqual({ ok: false, error: 'out_of_range' });
  });

  it('formats and parses back to the same minor units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.constantFrom('USD', 'JPY', 'KWD'),
        (minor, currency) => {
          const text = formatDecimalAmount(minor, currency);
          expect(parseDecimalAmount(text, currency)).toEqual({ ok: true, amountMinor: minor });
        },
      ),
    );
  });
});

describe('convertMinorUnits', () => {
  it('converts between currencies of different exponents exactly, rounding half up', () => {
    // 10,000 JPY at 0.0067 USD per JPY = 67.00 USD.
    expect(convertMinorUnits(10_000, 'JPY', 'USD', '0.0067')).toBe(6700);
    // 12.34 EUR at 1.0825 = 13.358... USD -> 13.36.
    expect(convertMinorUnits(1234, 'EUR', 'USD', '1.0825')).toBe(1336);
    // 1.00 USD at 151.5 JPY = 151.5 -> 152 yen.
    expect(convertMinorUnits(100, 'USD', 'JPY', '151.5')).toBe(152);
    // 1.000 KWD at 3.25 USD = 3.25 USD.
    expect(convertMinorUnits(1000, 'KWD', 'USD', '3.25')).toBe(325);
    expect(convertMinorUnits(0, 'EUR', 'USD', '1.1')).toBe(0);
  });

  it('agrees with exact decimal arithmetic for any amount and rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_SALE_AMOUNT_MINOR }),
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 6 }),
        (amount, rateDigits, rateDecimals) => {
          const text = String(rateDigits).padStart(rateDecimals + 1, '0');
          const rate =
            rateDecimals === 0 ? text : `${text.slice(0, -rateDecimals)}.${text.slice(-rateDecimals)}`;
          // EUR and USD both have 2 decimals: the result is amount * rate, rounded half up.
          const exact = BigInt(amount) * BigInt(rateDigits);
          const scale = 10n ** BigInt(rateDecimals);
          const expected = exact / scale + ((exact % scale) * 2n >= scale ? 1n : 0n);
          const converted = convertMinorUnits(amount, 'EUR', 'USD', rate);
          if (expected > BigInt(MAX_SALE_AMOUNT_MINOR)) expect(converted).toBeNull();
          else expect(BigInt(converted ?? -1)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses rates that are zero, negative or not decimals', () => {
    for (const rate of ['0', '0.000', '-1', '1e3', '1.', '.5', 'abc', '1.1234567890123'])
      expect(exchangeRateTextSchema.safeParse(rate).success, rate).toBe(false);
    expect(exchangeRateTextSchema.safeParse('0.0067').success).toBe(true);
  });
});
