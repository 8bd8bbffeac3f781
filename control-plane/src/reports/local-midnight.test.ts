import { describe, expect, it } from 'vitest';
import { localMidnightUtc } from './report-query.ts';

describe('localMidnightUtc', () => {
  it('finds when a local day starts, across zones and DST changes', () => {
    expect(localMidnightUtc('2026-11-20', 'UTC').toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(localMidnightUtc('2026-11-20', 'Europe/Berlin').toISOString()).toBe('2026-11-19T23:00:00.000Z');
    expect(localMidnightUtc('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(localMidnightUtc('2026-10-25', 'Europe/Berlin').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(localMidnightUtc('2026-10-26', 'Europe/Berlin').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(localMidnightUtc('2026-11-20', 'Asia/Kolkata').toISOString()).toBe('2026-11-19T18:30:00.000Z');
    expect(localMidnightUtc('2026-11-20', 'America/New_York').toISOString()).toBe('2026-11-20T05:00:00.000Z');
  });
});
