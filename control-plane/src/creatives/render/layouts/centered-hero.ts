import { box, intersect } from '../box.ts';
import { INK, isDark, mix, readableOn, shiftHue, WHITE, withAlpha } from '../colour.ts';
import { type Element, h } from '../element.ts';
import type { Composition, Layout, Scene } from '../layout.ts';
import {
  brandMark,
  brandMarkWidth,
  column,
  copyStack,
  ctaButton,
  fittedText,
  layer,
  spacer,
} from './parts.ts';

/**
 * Typography first: a big centred headline on a brand gradient (or on the photo, under a scrim),
 * an eyebrow from the badge, and an inverted pill button. A product image is not shown here: the
 * product layouts are for that.
 */
export const centeredHero: Layout = {
  id: 'centered-hero',
  name: 'Centered hero',
  description: 'A big centred headline on a gradient or photo, with a pill button',
  async compose(scene) {
    const { width: W, height: H, shape, safeArea } = scene.placement;
    const c = scene.brand.colors;
    const surface = scene.image?.kind === 'photo' ? mix(c.primary, INK, 0.35) : c.primary;
    const ink = readableOn(surface, WHITE, c.background, INK);
    const button = {
      background: ink === WHITE ? WHITE : INK,
      colour: ink === WHITE ? readableOn(WHITE, c.primary, INK) : WHITE,
    };
    const background = await backdrop(scene);
    if (shape === 'strip') return strip(scene, background, ink, button);

    const unit = Math.min(W, H);
    const small = unit < 400;
    const gap = Math.round(unit * (small ? 0.04 : 0.03));
    const markHeight = Math.round(shape === 'wide' ? H * 0.065 : Math.max(16, unit * 0.06));
    const mark = await brandMark(scene, {
      height: markHeight,
      maxWidth: brandMarkWidth(markHeight, safeArea.width),
      colour: ink,
      tile: c.secondary,
    });
    const eyebrow = scene.copy.badge
      ? fittedText(scene, scene.copy.badge, {
          role: 'label',
          width: safeArea.width,
          height: Math.round(unit * 0.06),
          maxLines: 1,
          maxSize: Math.round(unit * (shape === 'wide' ? 0.045 : 0.032)),
          minSize: Math.max(8, Math.round(unit * 0.024)),
          colour: readableOn(surface, c.secondary, ink),
          align: 'center',
          uppercase: true,
        })
      : undefined;
    const text = intersect(safeArea, box(0, safeArea.y + markHeight + gap, W, H));
    const stack = copyStack(scene, {
      width: Math.round(text.width * (shape === 'tall' || small ? 1 : 0.86)),
      height: text.height - (eyebrow ? eyebrow.height + gap : 0),
      align: 'center',
      colour: ink,
      gap,
      headline: {
        maxSize: Math.round(shape === 'wide' ? H * 0.13 : unit * (small ? 0.11 : 0.105)),
        minSize: Math.max(11, Math.round(unit * 0.05)),
        maxLines: shape === 'tall' ? (small ? 7 : 5) : 3,
      },
      subline: {
        maxSize: Math.round(shape === 'wide' ? H * 0.045 : unit * 0.042),
        minSize: Math.max(10, Math.round(unit * 0.03)),
        maxLines: 3,
        colour: withAlpha(ink, 0.85),
      },
      button: {
        height: Math.round(shape === 'wide' ? H * 0.11 : small ? Math.max(28, unit * 0.14) : unit * 0.09),
        ...button,
        fullWidth: shape === 'tall' && small,
      },
    });
    const element = h(
      'div',
      { style: { display: 'flex', position: 'relative', width: W, height: H, backgroundColor: c.primary } },
      background,
      layer(box(safeArea.x, safeArea.y, safeArea.width, markHeight), { justifyContent: 'center' }, mark),
      column(
        text,
        { alignItems: 'center', justifyContent: 'center' },
        eyebrow?.element,
        eyebrow && spacer(gap),
        stack.element,
      ),
    );
    return { element, textArea: text };
  },
};

/** The brand gradient with soft light blobs, or the photo under a gradient scrim. */
async function backdrop(scene: Scene): Promise<Element> {
  const { canvas, width: W, height: H } = scene.placement;
  const { primary, secondary } = scene.brand.colors;
  if (scene.image?.kind === 'photo') {
    const photo = await scene.image.prepare(canvas);
    const deep = mix(primary, INK, 0.55);
    return layer(
      canvas,
      {},
      h('img', { src: photo.src, width: photo.width, height: photo.height }),
      layer(canvas, {
        backgroundImage: `linear-gradient(180deg, ${withAlpha(deep, 0.45)} 0%, ${withAlpha(deep, 0.62)} 45%, ${withAlpha(deep, 0.88)} 100%)`,
      }),
    );
  }
  const end = shiftHue(primary, 28, isDark(primary) ? 0.1 : -0.08);
  const big = Math.round(Math.max(W, H) * 0.9);
  const blob = (x: number, y: number, size: number, colour: string, alpha: number) =>
    h('div', {
      style: {
        display: 'flex',
        position: 'absolute',
        left: Math.round(x - size / 2),
        top: Math.round(y - size / 2),
        width: size,
        height: size,
        borderRadius: size / 2,
        backgroundImage: `radial-gradient(circle, ${withAlpha(colour, alpha)} 0%, ${withAlpha(colour, 0)} 70%)`,
      },
    });
  return layer(
    canvas,
    { backgroundImage: `linear-gradient(135deg, ${primary} 0%, ${end} 100%)` },
    blob(W * 0.95, H * 0.02, big, secondary, 0.3),
    blob(W * 0.05, H * 0.98, Math.round(big * 0.8), WHITE, 0.16),
  );
}

/** One line, centred: brand, headline, button. */
async function strip(
  scene: Scene,
  background: Element,
  ink: string,
  button: { background: string; colour: string },
): Promise<Composition> {
  const { width: W, height: H, safeArea } = scene.placement;
  const gap = Math.round(H * 0.18);
  const cta = scene.copy.callToAction
    ? ctaButton(scene, scene.copy.callToAction, {
        height: Math.round(safeArea.height * (H < 70 ? 0.8 : 0.62)),
        maxWidth: Math.round(safeArea.width * (H < 70 ? 0.42 : 0.34)),
        arrow: H >= 70,
        ...button,
      })
    : undefined;
  const markHeight = Math.round(safeArea.height * (H < 70 ? 0.62 : 0.5));
  const markWidth =
    H < 70
      ? markHeight
      : Math.min(Math.round(safeArea.width * 0.24), brandMarkWidth(markHeight, safeArea.width));
  const mark = await brandMark(scene, {
    height: markHeight,
    maxWidth: markWidth,
    colour: ink,
    tile: scene.brand.colors.secondary,
  });
  const headlineWidth = safeArea.width - (cta ? cta.width + gap : 0) - markWidth - gap;
  const headline = fittedText(scene, scene.copy.headline, {
    role: 'headline',
    width: headlineWidth,
    height: safeArea.height,
    maxLines: 2,
    maxSize: Math.round(safeArea.height * 0.46),
    minSize: Math.max(9, Math.round(safeArea.height * 0.24)),
    colour: ink,
    align: 'center',
  });
  const element = h(
    'div',
    { style: { display: 'flex', position: 'relative', width: W, height: H } },
    background,
    layer(
      safeArea,
      { alignItems: 'center', overflow: 'hidden' },
      h('div', { style: { display: 'flex', width: markWidth, overflow: 'hidden', flexShrink: 0 } }, mark),
      spacer(gap),
      h(
        'div',
        { style: { display: 'flex', width: headlineWidth, justifyContent: 'center' } },
        headline.element,
      ),
      cta && spacer(gap),
      cta?.element,
    ),
  );
  return { element, textArea: safeArea };
}
