import type { Box } from './box.ts';
import type { BrandKit } from './brand-kit.ts';
import type { Element } from './element.ts';
import type { FontSet } from './fonts.ts';
import type { PreparedImage } from './image-input.ts';
import type { Placement } from './placements.ts';

/** The copy a layout draws; the call to action is left out of some video frames. */
export interface SceneCopy {
  headline: string;
  subline?: string;
  callToAction?: string;
  badge?: string;
}

/**
 * The image of a creative: a `product` is shown whole (fitted, transparency kept), a `photo` (an
 * uploaded or generated master) fills its slot, cropped around what matters.
 */
export interface SceneImage {
  kind: 'product' | 'photo';
  prepare(slot: Pick<Box, 'width' | 'height'>): Promise<PreparedImage>;
}

/** Everything a layout needs to compose one placement. */
export interface Scene {
  placement: Placement;
  brand: Pick<BrandKit, 'name' | 'colors' | 'font'>;
  copy: SceneCopy;
  fonts: FontSet;
  image: SceneImage | undefined;
  /** The logo fitted inside the box, or undefined when the kit has none. */
  logo: ((slot: Pick<Box, 'width' | 'height'>) => Promise<PreparedImage>) | undefined;
}

export interface Composition {
  element: Element;
  /**
   * Where the text (headline, subline, button, logo) was placed; inside the placement's safe
   * area. Everything outside it is background and image, the same whatever the copy says.
   */
  textArea: Box;
}

/**
 * A template: one look, recomposed for each shape of placement (a one-line strip, side by side,
 * stacked), never stretched.
 */
export interface Layout {
  id: string;
  name: string;
  description: string;
  compose(scene: Scene): Promise<Composition>;
}
