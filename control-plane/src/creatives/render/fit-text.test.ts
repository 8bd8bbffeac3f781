import { beforeAll, describe, expect, it } from 'vitest';
import { countLines, fitText, measureText, type TextStyle } from './fit-text.ts';
import { type FontSet, loadFonts } from './fonts.ts';

let fonts: FontSet;
beforeAll(async () => {
  fonts = await loadFonts();
});

const bold: TextStyle = { family: 'inter', weight: 800, lineHeight: 1.1, letterSpacing: -0.02 };
const bounds = { width: 400, height: 200, maxLines: 3, maxSize: 80, minSize: 12 };

describe('fitText', () => {
  it('sets short text larger than long text, both within the box', () => {
    const short = fitText(fonts, 'Sale', bold, bounds);
    const long = fitText(fonts, 'Everything in the shop at half price until Sunday night', bold, bounds);
    expect(short.fontSize).toBe(80);
    expect(long.fontSize).toBeLessThan(short.fontSize);
    for (const fitted of [short, long]) {
      expect(fitted.truncated).toBe(false);
      expect(fitted.lines).toBeLessThanOrEqual(fitted.maxLines);
      expect(fitted.lines * fitted.fontSize * bold.lineHeight).toBeLessThanOrEqual(bounds.height);
    }
  });

  it('measures real glyph widths: wide letters fit smaller than narrow ones', () => {
    const wide = fitText(fonts, 'WWWWWWWW', bold, { ...bounds, maxLines: 1 });
    const narrow = fitText(fonts, 'iiiiiiii', bold, { ...bounds, maxLines: 1 });
    expect(wide.fontSize).toBeLessThan(narrow.fontSize);
    expect(measureText(fonts, 'WWWWWWWW', bold, wide.fontSize)).toBeLessThanOrEqual(bounds.width);
  });

  it('shrinks before breaking a word, and truncates only below the smallest size', () => {
    const word = fitText(fonts, 'Unbelievable', bold, { ...bounds, width: 200 });
    expect(word.lines).toBe(1);
    const tooMuch = fitText(fonts, 'word '.repeat(80), bold, {
      ...bounds,
      width: 120,
      height: 40,
      minSize: 12,
    });
    expect(tooMuch).toMatchObject({ fontSize: 12, truncated: true, maxLines: 3 });
  });

  it('balances lines: the narrowest width that keeps the line count', () => {
    const fitted = fitText(fonts, 'Glow that lasts all day, naturally', bold, {
      ...bounds,
      width: 900,
      maxLines: 2,
      maxSize: 90,
    });
    expect(fitted.lines).toBe(2);
    expect(fitted.balancedWidth).toBeLessThan(900);
    const measure = (s: string) => measureText(fonts, s, bold, fitted.fontSize);
    expect(countLines('Glow that lasts all day, naturally', fitted.balancedWidth * 0.96, measure)).toBe(2);
  });
});

describe('countLines', () => {
  const measure = (s: string) => s.length * 10;
  it('wraps greedily at spaces and breaks words wider than a line', () => {
    expect(countLines('aaa bbb ccc', 70, measure)).toBe(2);
    expect(countLines('aaaaaaaaaaaaaaaaaaaa', 50, measure)).toBe(4);
    expect(countLines('   ', 50, measure)).toBe(0);
  });
});
