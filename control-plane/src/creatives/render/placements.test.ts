import { describe, expect, it } from 'vitest';
import { contains } from './box.ts';
import { PLACEMENT_IDS, placement, shapeOf } from './placements.ts';

describe('placements', () => {
  it('are the seven standard sizes, each with a safe area inside it', () => {
    expect(PLACEMENT_IDS).toEqual([
      '1200x628',
      '1080x1080',
      '1080x1920',
      '300x250',
      '728x90',
      '160x600',
      '320x50',
    ]);
    for (const id of PLACEMENT_IDS) {
      const p = placement(id);
      expect(`${p.width}x${p.height}`).toBe(id);
      expect(contains(p.canvas, p.safeArea)).toBe(true);
      expect(p.safeArea.width).toBeGreaterThan(0);
    }
  });

  it('keep a Story’s top 14% and bottom 20% free of text', () => {
    const story = placement('1080x1920');
    expect(story.safeArea.y).toBeGreaterThanOrEqual(1920 * 0.14);
    expect(1920 - story.safeArea.y - story.safeArea.height).toBeGreaterThanOrEqual(1920 * 0.2);
  });

  it('group sizes by how a layout arranges them', () => {
    expect(PLACEMENT_IDS.map((id) => placement(id).shape)).toEqual([
      'wide',
      'square',
      'tall',
      'square',
      'strip',
      'tall',
      'strip',
    ]);
    expect(shapeOf(970, 250)).toBe('strip');
    expect(shapeOf(336, 280)).toBe('square');
  });
});
