import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, hasControlCharacters, utf8Length } from './clean-text.ts';

describe('cleanText', () => {
  it('removes NUL and other control characters, which Postgres text refuses or logs mangle', () => {
    expect(cleanText('\u0000x', 255)).toBe('x');
    expect(cleanText('a\tb\r\nc\u007f\u0085d', 255)).toBe('abcd');
    expect(cleanText('\u0000\u0001', 255)).toBeNull();
    expect(cleanText('', 255)).toBeNull();
    expect(cleanText(null, 255)).toBeNull();
  });

  it('never leaves a lone surrogate, even when the cut falls inside a pair', () => {
    expect(cleanText('\ud800x', 10)).toBe('\ufffdx');
    expect(cleanText('ab\ud83d\ude00', 3)).toBe('ab');
    expect(cleanText('ab\ud83d\ude00', 4)).toBe('ab\ud83d\ude00');
  });

  it('gives text that is well formed, free of controls and within its bound, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 1, max: 300 }), (text, max) => {
        const cleaned = cleanText(text, max);
        if (cleaned === null) return;
        expect(cleaned.length).toBeLessThanOrEqual(max);
        expect(hasControlCharacters(cleaned)).toBe(false);
        expect(cleaned.isWellFormed()).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('utf8Length', () => {
  it('counts exactly what TextEncoder produces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
      }),
      { numRuns: 3000 },
    );
  });
});
