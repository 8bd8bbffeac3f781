import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDecimalAmount, parseDecimalAmount } from './money.ts';

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
