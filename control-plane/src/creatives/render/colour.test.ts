import { describe, expect, it } from 'vitest';
import { contrast, INK, mix, readableOn, shiftHue, WHITE } from './colour.ts';

describe('colour', () => {
  it('picks a brand colour for text when it reads, else white or ink', () => {
    expect(readableOn('#1e1b4b', '#fffbeb')).toBe('#fffbeb');
    expect(readableOn('#1e1b4b', '#312e81')).toBe(WHITE);
    expect(readableOn('#fde047', '#fef9c3')).toBe(INK);
    for (const bg of ['#000000', '#ffffff', '#808080', '#f59e0b', '#0f766e'])
      expect(contrast(readableOn(bg), bg)).toBeGreaterThanOrEqual(4.5);
  });

  it('mixes and turns hues', () => {
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(shiftHue('#ff0000', 120)).toBe('#00ff00');
    expect(shiftHue('#808080', 90)).toBe('#808080');
  });
});
