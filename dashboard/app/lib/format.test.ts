import { describe, expect, it } from 'vitest';
import { formatBps, formatCount, formatDateTime, formatMoney, formatPercent } from './format';

describe('format', () => {
  it('formats minor units exactly in their currency', () => {
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56');
    expect(formatMoney(-5, 'EUR')).toBe('-€0.05');
    expect(formatMoney(500, 'JPY')).toBe('¥500');
    expect(formatMoney(1234, 'KWD')).toBe('1.234 KWD');
    expect(formatMoney(null, 'USD')).toBe('–');
    // No float ever touches the digits: beyond 2^53 / 100 a float would round.
    expect(formatMoney(900719925474099, 'USD')).toBe('$9,007,199,254,740.99');
  });

  it('formats counts, rates and basis points', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatPercent(0.0234)).toBe('2.34%');
    expect(formatBps(1250)).toBe('12.5%');
    expect(formatBps(1000)).toBe('10%');
  });
});

describe('formatDateTime', () => {
  it('writes the hour after midnight as 00, on the server as in the browser', () => {
    expect(formatDateTime('2026-11-28T00:58:00Z')).toBe('Nov 28, 00:58');
    expect(formatDateTime('2026-11-28T23:05:00Z')).toBe('Nov 28, 23:05');
  });
});
