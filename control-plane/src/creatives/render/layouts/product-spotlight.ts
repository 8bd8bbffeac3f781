import { type Box, box, intersect } from '../box.ts';
import { INK, isDark, mix, readableOn, shiftHue, WHITE, withAlpha } from '../colour.ts';
import { type Element, h } from '../element.ts';
import { FONT_FAMILIES } from '../fonts.ts';
import type { Composition, Layout, Scene } from '../layout.ts';
import {
  badge,
  brandMark,
  brandMarkWidth,
  buttonColours,
  column,
  copyStack,
  ctaButton,
  fittedText,
  floorShadow,
  layer,
  spacer,
} from './parts.ts';

/**
 * The product on a stage: a large disc of the brand colour on a light ground, a sticker badge,
 * the copy beside or below. A photo is cut into the disc; without an image the disc carries the
 * brand's initial.
 */
export const productSpotlight: Layout = {
  id: 'product-spotlight',
  name: 'Product spotlight',
  description: 'The product large on a brand-coloured disc, with a badge and the copy beside it',
  async compose(scene) {
    const { width: W, height: H, shape, safeArea } = scene.placement;
    const c = scene.brand.colors;
    const unit = Math.min(W, H);
    const small = unit < 400;
    if (shape === 'strip') return strip(scene);

    const gap = Math.round(unit * (small ? 0.035 : 0.028));
    const markHeight = Math.round(shape === 'wide' ? H * 0.065 : Math.max(16, unit * 0.06));
    let disc: Box;
    let text: Box;
    if (shape === 'wide') {
      const d = Math.round(H * 0.86);
      disc = box(Math.round(W * 0.73 - d / 2), Math.round((H - d) / 2), d, d);
      text = intersect(safeArea, box(0, 0, disc.x - Math.round(W * 0.04), H));
    } else {
      const d = Math.round(shape === 'tall' ? W * (small ? 0.86 : 0.74) : unit * 0.44);
      // A skyscraper has height to spare: the disc moves down towards the middle.
      const top = shape === 'tall' && small ? Math.round(H * 0.36 - d / 2) : safeArea.y + markHeight + gap;
      disc = box(Math.round((W - d) / 2), top, d, d);
      text = intersect(safeArea, box(0, top + Math.round(d * 1.04) + gap, W, H));
    }
    const ink = readableOn(c.background, c.text, INK);
    const mark = await brandMark(scene, {
      height: markHeight,
      maxWidth: brandMarkWidth(markHeight, shape === 'wide' ? text.width : safeArea.width),
      colour: ink,
      tile: c.primary,
    });
    const align = shape === 'wide' ? 'left' : 'center';
    const stack = copyStack(scene, {
      width: text.width,
      height: text.height - (shape === 'wide' ? markHeight + gap * 2 : 0),
      align,
      colour: ink,
      gap,
      headline: {
        maxSize: Math.round(
          shape === 'wide' ? H * 0.1 : unit * (shape === 'tall' && small ? 0.13 : small ? 0.085 : 0.08),
        ),
        minSize: Math.max(11, Math.round(unit * 0.042)),
        maxLines: shape === 'tall' ? (small ? 5 : 3) : shape === 'wide' ? 3 : 2,
      },
      subline: {
        maxSize: Math.round(shape === 'wide' ? H * 0.04 : unit * 0.036),
        minSize: Math.max(10, Math.round(unit * 0.028)),
        maxLines: shape === 'wide' ? 3 : 2,
        colour: readableOn(c.background, mix(ink, c.background, 0.3), ink),
      },
      button: {
        height: Math.round(shape === 'wide' ? H * 0.1 : small ? Math.max(26, unit * 0.12) : unit * 0.08),
        ...buttonColours(scene, c.background),
        fullWidth: shape === 'tall' && small,
      },
    });
    const badgeSize = Math.round(unit * (small ? 0.2 : shape === 'wide' ? 0.24 : 0.17));
    const badgeBox = intersect(
      safeArea,
      box(disc.x + disc.width * 0.08 - badgeSize * 0.2, disc.y + disc.height * 0.04, badgeSize, badgeSize),
    );
    const element = h(
      'div',
      {
        style: { display: 'flex', position: 'relative', width: W, height: H, backgroundColor: c.background },
      },
      await stage(scene, disc),
      scene.copy.badge &&
        badgeBox.width === badgeSize &&
        badgeBox.height === badgeSize &&
        layer(badgeBox, {}, badge(scene, scene.copy.badge, badgeSize, c.secondary)),
      shape === 'wide'
        ? column(
            text,
            {},
            mark,
            h(
              'div',
              { style: { display: 'flex', flexDirection: 'column', flexGrow: 1, justifyContent: 'center' } },
              stack.element,
            ),
          )
        : column(text, { alignItems: 'center', justifyContent: 'center' }, stack.element),
      shape !== 'wide' &&
        layer(box(safeArea.x, safeArea.y, safeArea.width, markHeight), { justifyContent: 'center' }, mark),
    );
    return { element, textArea: text };
  },
};

/** The disc and what stands on it: the product, the photo cut round, or the brand's initial. */
async function stage(scene: Scene, disc: Box): Promise<Element> {
  const { primary, background } = scene.brand.colors;
  const d = disc.width;
  const glow = Math.round(d * 1.35);
  const halo = h('div', {
    style: {
      display: 'flex',
      position: 'absolute',
      left: Math.round(disc.x + d / 2 - glow / 2),
      top: Math.round(disc.y + d / 2 - glow / 2),
      width: glow,
      height: glow,
      borderRadius: glow / 2,
      backgroundImage: `radial-gradient(circle, ${withAlpha(primary, 0.22)} 0%, ${withAlpha(primary, 0)} 70%)`,
    },
  });
  const round = {
    borderRadius: d / 2,
    backgroundImage: `linear-gradient(150deg, ${shiftHue(primary, -18, isDark(primary) ? 0.12 : 0.06)} 0%, ${primary} 60%, ${mix(primary, INK, 0.2)} 100%)`,
  };
  if (scene.image?.kind === 'photo') {
    const photo = await scene.image.prepare(disc);
    return h(
      'div',
      {
        style: {
          display: 'flex',
          position: 'absolute',
          left: 0,
          top: 0,
          width: scene.placement.width,
          height: scene.placement.height,
        },
      },
      halo,
      layer(
        disc,
        { ...round, overflow: 'hidden', border: `${Math.max(2, Math.round(d * 0.02))}px solid ${WHITE}` },
        h('img', { src: photo.src, width: photo.width, height: photo.height }),
      ),
    );
  }
  let content: Element;
  if (scene.image?.kind === 'product') {
    const product = await scene.image.prepare({ width: Math.round(d * 0.8), height: Math.round(d * 0.8) });
    content = h(
      'div',
      {
        style: {
          display: 'flex',
          position: 'relative',
          width: d,
          height: d,
          alignItems: 'center',
          justifyContent: 'center',
        },
      },
      floorShadow({ x: 0, y: 0, width: d, height: d }, product, 0.4),
      h('img', { src: product.src, width: product.width, height: product.height }),
    );
  } else {
    content = h(
      'div',
      {
        style: {
          display: 'flex',
          fontFamily: FONT_FAMILIES[scene.brand.font].name,
          fontWeight: 800,
          fontSize: Math.round(d * 0.5),
          color: readableOn(primary, background, WHITE, INK),
        },
      },
      [...scene.brand.name][0]?.toUpperCase() ?? '',
    );
  }
  return h(
    'div',
    {
      style: {
        display: 'flex',
        position: 'absolute',
        left: 0,
        top: 0,
        width: scene.placement.width,
        height: scene.placement.height,
      },
    },
    halo,
    layer(disc, { ...round, alignItems: 'center', justifyContent: 'center' }, content),
    h('div', {
      style: {
        display: 'flex',
        position: 'absolute',
        left: disc.x - Math.round(d * 0.035),
        top: disc.y - Math.round(d * 0.035),
        width: Math.round(d * 1.07),
        height: Math.round(d * 1.07),
        borderRadius: d,
        border: `${Math.max(1, Math.round(d * 0.006))}px solid ${withAlpha(primary, 0.25)}`,
      },
    }),
  );
}

/** One line on the light ground: the product on a small disc, the headline, the button. */
async function strip(scene: Scene): Promise<Composition> {
  const { width: W, height: H, safeArea } = scene.placement;
  const c = scene.brand.colors;
  const ink = readableOn(c.background, c.text, INK);
  const d = Math.round(H * 0.84);
  const disc = box(safeArea.x, Math.round((H - d) / 2), d, d);
  const gap = Math.round(H * 0.16);
  const text = intersect(safeArea, box(disc.x + d + gap, 0, W, H));
  const cta = scene.copy.callToAction
    ? ctaButton(scene, scene.copy.callToAction, {
        height: Math.round(safeArea.height * (H < 70 ? 0.8 : 0.62)),
        maxWidth: Math.round(text.width * (H < 70 ? 0.42 : 0.36)),
        arrow: H >= 70,
        ...buttonColours(scene, c.background),
      })
    : undefined;
  const badgeText =
    scene.copy.badge && H >= 70
      ? fittedText(scene, scene.copy.badge, {
          role: 'label',
          width: Math.round(text.width * 0.14),
          height: Math.round(safeArea.height * 0.4),
          maxLines: 1,
          maxSize: Math.round(safeArea.height * 0.22),
          minSize: 9,
          colour: readableOn(c.secondary, WHITE, INK),
          align: 'center',
          uppercase: true,
          weight: 800,
        })
      : undefined;
  const badgeWidth = badgeText ? Math.round(text.width * 0.14) + Math.round(safeArea.height * 0.3) : 0;
  const headlineWidth = text.width - (cta ? cta.width + gap : 0) - (badgeText ? badgeWidth + gap : 0);
  const headline = fittedText(scene, scene.copy.headline, {
    role: 'headline',
    width: headlineWidth,
    height: safeArea.height,
    maxLines: 2,
    maxSize: Math.round(safeArea.height * 0.46),
    minSize: Math.max(9, Math.round(safeArea.height * 0.24)),
    colour: ink,
  });
  const element = h(
    'div',
    { style: { display: 'flex', position: 'relative', width: W, height: H, backgroundColor: c.background } },
    await stage(scene, disc),
    layer(
      text,
      { alignItems: 'center', overflow: 'hidden' },
      h('div', { style: { display: 'flex', width: headlineWidth } }, headline.element),
      badgeText && spacer(gap),
      badgeText &&
        h(
          'div',
          {
            style: {
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              width: badgeWidth,
              height: Math.round(safeArea.height * 0.5),
              borderRadius: safeArea.height,
              backgroundColor: c.secondary,
              flexShrink: 0,
            },
          },
          badgeText.element,
        ),
      cta && spacer(gap),
      cta?.element,
    ),
  );
  return { element, textArea: text };
}
