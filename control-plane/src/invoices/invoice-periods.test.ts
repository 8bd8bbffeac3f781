import { describe, expect, it } from 'vitest';
import { lastEndedPeriod, periodContaining, periodNamed } from './invoice-periods.ts';

const at = (iso: string) => new Date(iso);
const span = (p: { name: string; start: Date; end: Date } | null) =>
  p && [p.name, p.start.toISOString(), p.end.toISOString()];

describe('invoice periods', () => {
  it('are UTC months and ISO weeks from Monday 00:00, half-open', () => {
    expect(span(periodContaining(at('2026-11-30T23:59:59.999Z'), 'monthly'))).toEqual([
      '2026-11',
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
    expect(span(periodContaining(at('2026-12-01T00:00:00.000Z'), 'monthly'))?.[0]).toBe('2026-12');
    // Sunday 29 November 2026 is the last day of ISO week 48; Monday the 30th starts week 49.
    expect(span(periodContaining(at('2026-11-29T23:00:00Z'), 'weekly'))).toEqual([
      '2026-W48',
      '2026-11-23T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ]);
    expect(span(periodContaining(at('2026-11-30T00:00:00Z'), 'weekly'))?.[0]).toBe('2026-W49');
    // A week across New Year belongs to the year of its Thursday.
    expect(span(periodContaining(at('2027-01-02T12:00:00Z'), 'weekly'))).toEqual([
      '2026-W53',
      '2026-12-28T00:00:00.000Z',
      '2027-01-04T00:00:00.000Z',
    ]);
  });

  it('names the last period that ended, once it has settled', () => {
    expect(lastEndedPeriod(at('2026-12-01T00:30:00Z'), 'monthly').name).toBe('2026-11');
    expect(lastEndedPeriod(at('2027-01-15T00:00:00Z'), 'monthly').name).toBe('2026-12');
    // Within the settling time the month before is still the last ended one.
    expect(lastEndedPeriod(at('2026-12-01T00:05:00Z'), 'monthly', 15 * 60_000).name).toBe('2026-10');
    expect(lastEndedPeriod(at('2026-12-02T09:00:00Z'), 'weekly').name).toBe('2026-W48');
  });

  it('reads period names back, refusing months and weeks that do not exist', () => {
    expect(span(periodNamed('2026-02'))).toEqual([
      '2026-02',
      '2026-02-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
    expect(span(periodNamed('2026-W01'))?.[1]).toBe('2025-12-29T00:00:00.000Z');
    expect(span(periodNamed('2026-W53'))?.[1]).toBe('2026-12-28T00:00:00.000Z');
    expect(periodNamed('2025-W53')).toBeNull(); // 2025 has 52 ISO weeks
    expect(periodNamed('2026-13')).toBeNull();
    expect(periodNamed('2026-11-01')).toBeNull();
  });
});
