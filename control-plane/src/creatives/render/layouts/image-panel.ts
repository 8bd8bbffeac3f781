import type { Box } from '../box.ts';
import { INK, mix, readableOn, WHITE, withAlpha } from '../colour.ts';
import { type Element, h, type Style } from '../element.ts';
import type { Scene } from '../layout.ts';
import { floorShadow, layer } from './parts.ts';

export interface ImagePanelSpec {
  /** The panel's colour behind a product, or the whole panel when there is no image. */
  colour: string;
  /** CSS clip-path of the panel, e.g. a slanted edge. */
  clipPath?: string;
  /** How much of the panel a product takes (the rest is breathing room). */
  productScale?: number;
}

/**
 * The image side of a layout: a photo fills it (cropped around what sharp finds interesting), a
 * product stands on a soft disc of the panel colour, and without an image the panel is a brand
 * pattern (dots and rings) rather than an empty block.
 */
export async function imagePanel(scene: Scene, b: Box, spec: ImagePanelSpec): Promise<Element> {
  const clip: Style = spec.clipPath ? { clipPath: spec.clipPath } : {};
  if (scene.image?.kind === 'photo') {
    const photo = await scene.image.prepare(b);
    return layer(
      b,
      { ...clip, backgroundColor: spec.colour },
      h('img', { src: photo.src, width: photo.width, height: photo.height }),
    );
  }
  if (scene.image?.kind === 'product') {
    const scale = spec.productScale ?? 0.78;
    const slot = { width: Math.round(b.width * scale), height: Math.round(b.height * scale) };
    const product = await scene.image.prepare(slot);
    const disc = Math.round(Math.min(b.width, b.height) * 0.86);
    return layer(
      b,
      {
        ...clip,
        alignItems: 'center',
        justifyContent: 'center',
        backgroundImage: `linear-gradient(160deg, ${mix(spec.colour, WHITE, 0.18)}, ${mix(spec.colour, INK, 0.12)})`,
      },
      h('div', {
        style: {
          display: 'flex',
          position: 'absolute',
          left: Math.round((b.width - disc) / 2),
          top: Math.round((b.height - disc) / 2),
          width: disc,
          height: disc,
          borderRadius: disc / 2,
          backgroundColor: withAlpha(WHITE, 0.16),
        },
      }),
      floorShadow({ x: 0, y: 0, width: b.width, height: b.height }, product),
      h('img', { src: product.src, width: product.width, height: product.height }),
    );
  }
  return pattern(b, spec.colour, clip);
}

/** Dots and concentric rings in the brand colour: decoration that reads as designed, at any size. */
export function pattern(b: Box, colour: string, extra: Style = {}): Element {
  const ink = readableOn(colour, WHITE, INK);
  const unit = Math.max(10, Math.round(Math.min(b.width, b.height) / 14));
  const r = Math.max(1, unit / 10);
  const cx = Math.round(b.width * 0.58);
  const cy = Math.round(b.height * 0.6);
  const ring = Math.round(Math.max(b.width, b.height) * 0.42);
  const dots: Element[] = [];
  // A field of dots fading out towards the rings, like a halftone.
  for (let y = unit / 2; y < b.height; y += unit) {
    for (let x = unit / 2; x < b.width; x += unit) {
      const d = Math.hypot(x - cx, y - cy) / Math.max(b.width, b.height);
      if (d > 0.35)
        dots.push(
          h('circle', {
            cx: Math.round(x),
            cy: Math.round(y),
            r,
            fill: ink,
            'fill-opacity': Math.min(0.28, (d - 0.35) * 0.9),
          }),
        );
    }
  }
  return layer(
    b,
    { ...extra, backgroundColor: colour },
    h(
      'svg',
      { width: b.width, height: b.height, viewBox: `0 0 ${b.width} ${b.height}` },
      ...dots,
      h('circle', {
        cx,
        cy,
        r: ring,
        fill: 'none',
        stroke: ink,
        'stroke-opacity': 0.14,
        'stroke-width': Math.max(2, Math.round(unit * 0.7)),
      }),
      h('circle', { cx, cy, r: Math.round(ring * 0.62), fill: mix(colour, WHITE, 0.22) }),
      h('circle', {
        cx: cx + Math.round(ring * 0.7),
        cy: cy - Math.round(ring * 0.75),
        r: Math.round(ring * 0.16),
        fill: mix(colour, INK, 0.14),
      }),
    ),
  );
}
