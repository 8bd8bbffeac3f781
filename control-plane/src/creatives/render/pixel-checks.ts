import sharp from 'sharp';
import { type Box, contains } from './box.ts';

/**
 * Pixel-level checks of rendered creatives, for the tests: images are compared decoded, as a
 * viewer sees them, never by their bytes.
 */

export interface Pixels {
  width: number;
  height: number;
  data: Buffer;
}

export async function decode(bytes: Uint8Array): Promise<Pixels> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

/** Pixels that differ between two images of the same size, and the box around them. */
export function difference(
  a: Pixels,
  b: Pixels,
): { count: number; bounds: Box | undefined; outside(box: Box): number } {
  if (a.width !== b.width || a.height !== b.height) throw new Error('images of different sizes');
  const changed: number[] = [];
  let [x0, y0, x1, y1] = [a.width, a.height, -1, -1];
  for (let p = 0; p < a.width * a.height; p++) {
    const i = p * 4;
    if (
      a.data[i] !== b.data[i] ||
      a.data[i + 1] !== b.data[i + 1] ||
      a.data[i + 2] !== b.data[i + 2] ||
      a.data[i + 3] !== b.data[i + 3]
    ) {
      changed.push(p);
      const [x, y] = [p % a.width, Math.floor(p / a.width)];
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return {
    count: changed.length,
    bounds: changed.length > 0 ? { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 } : undefined,
    outside: (box) =>
      changed.filter(
        (p) => !contains(box, { x: p % a.width, y: Math.floor(p / a.width), width: 1, height: 1 }),
      ).length,
  };
}

/** Mean standard deviation of the colour channels: near 0 for a blank or flat image. */
export async function colourSpread(bytes: Uint8Array): Promise<number> {
  const { channels } = await sharp(bytes).stats();
  const colour = channels.slice(0, 3);
  return colour.reduce((sum, c) => sum + c.stdev, 0) / colour.length;
}
