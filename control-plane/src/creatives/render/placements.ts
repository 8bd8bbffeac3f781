import { type Box, box } from './box.ts';

/**
 * The standard ad placements (IAB display sizes and the social formats). The safe area is where
 * text, buttons and logos may go: social apps lay their own interface over the edges (a Story's
 * profile bar on top, its reply box at the bottom), and display networks crop a few pixels.
 * Backgrounds and images may bleed past it.
 */
export const PLACEMENTS = {
  '1200x628': { name: 'Facebook/LinkedIn link', width: 1200, height: 628, safe: [44, 60, 44, 60] },
  '1080x1080': { name: 'Square', width: 1080, height: 1080, safe: [72, 72, 72, 72] },
  // Meta asks to keep 14% at the top and 20% at the bottom of a Story free of text.
  '1080x1920': { name: 'Story', width: 1080, height: 1920, safe: [270, 72, 384, 72] },
  '300x250': { name: 'Medium rectangle', width: 300, height: 250, safe: [14, 14, 14, 14] },
  '728x90': { name: 'Leaderboard', width: 728, height: 90, safe: [10, 16, 10, 16] },
  '160x600': { name: 'Wide skyscraper', width: 160, height: 600, safe: [16, 12, 16, 12] },
  '320x50': { name: 'Mobile banner', width: 320, height: 50, safe: [6, 8, 6, 8] },
} as const satisfies Record<
  string,
  { name: string; width: number; height: number; safe: readonly [number, number, number, number] }
>;

export type PlacementId = keyof typeof PLACEMENTS;
export const PLACEMENT_IDS = Object.keys(PLACEMENTS) as [PlacementId, ...PlacementId[]];

/**
 * How a layout arranges itself: `strip` in one line (728x90, 320x50), `wide` side by side
 * (1200x628), `square` stacked in a compact block (1080x1080, 300x250), `tall` stacked down a
 * column (1080x1920, 160x600).
 */
export type Shape = 'strip' | 'wide' | 'square' | 'tall';

export interface Placement {
  id: PlacementId;
  name: string;
  width: number;
  height: number;
  shape: Shape;
  /** Where text may go. */
  safeArea: Box;
  /** The whole canvas. */
  canvas: Box;
}

export function shapeOf(width: number, height: number): Shape {
  const ratio = width / height;
  if (ratio >= 3) return 'strip';
  if (ratio >= 1.3) return 'wide';
  if (ratio >= 0.75) return 'square';
  return 'tall';
}

export function placement(id: PlacementId): Placement {
  const { name, width, height, safe } = PLACEMENTS[id];
  const [top, right, bottom, left] = safe;
  return {
    id,
    name,
    width,
    height,
    shape: shapeOf(width, height),
    safeArea: box(left, top, width - left - right, height - top - bottom),
    canvas: box(0, 0, width, height),
  };
}
