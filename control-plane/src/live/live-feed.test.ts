import { describe, expect, it } from 'vitest';
import { LiveCursor } from './live-feed.ts';

describe('LiveCursor', () => {
  it('sends each event once, re-reads with overlap, and never sends events from before the start', () => {
    const t = (s: number) => new Date(Date.UTC(2026, 10, 24, 12, 0, s));
    const cursor = new LiveCursor(t(10), 5_000);
    expect(cursor.readFrom()).toEqual(t(5));
    expect(
      cursor
        .fresh([
          { id: 'old', at: t(8) },
          { id: 'a', at: t(11) },
        ])
        .map((e) => e.id),
    ).toEqual(['a']);
    // A late commit with an earlier time than what was sent is still picked up by the overlap.
    expect(
      cursor
        .fresh([
          { id: 'a', at: t(11) },
          { id: 'late', at: new Date(t(10).getTime() + 500) },
          { id: 'b', at: t(12) },
        ])
        .map((e) => e.id),
    ).toEqual(['late', 'b']);
    expect(cursor.readFrom()).toEqual(t(7));
  });
});
