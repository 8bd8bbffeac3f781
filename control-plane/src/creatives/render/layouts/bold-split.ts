import { type Box, box, intersect } from '../box.ts';
import { INK, readableOn, WHITE, withAlpha } from '../colour.ts';
import { h } from '../element.ts';
import type { Composition, Layout, Scene } from '../layout.ts';
import { imagePanel } from './image-panel.ts';
import {
  brandMark,
  brandMarkWidth,
  buttonColours,
  column,
  copyStack,
  ctaButton,
  fittedText,
  layer,
  spacer,
} from './parts.ts';

/**
 * A block of the primary colour carrying the text beside (or below) the image, with a slanted
 * seam: the classic split of paid design tools.
 */
export const boldSplit: Layout = {
  id: 'bold-split',
  name: 'Bold split',
  description: 'A colour block with the text beside the image, split on a slant',
  compose(scene) {
    const { width: W, height: H, shape, safeArea } = scene.placement;
    if (shape === 'strip') return strip(scene);
    if (shape === 'wide') {
      const split = Math.round(W * 0.54);
      const slant = Math.round(H * 0.14);
      const image = box(split - slant, 0, W - split + slant, H);
      const text = intersect(safeArea, box(0, 0, split - Math.round(W * 0.045), H));
      return stacked(
        scene,
        image,
        `polygon(${slant}px 0, ${image.width}px 0, ${image.width}px ${H}px, 0 ${H}px)`,
        text,
      );
    }
    const imageHeight = Math.round(H * (shape === 'tall' ? 0.5 : 0.46));
    const slant = Math.round(Math.min(W, H) * 0.07);
    const image = box(0, 0, W, imageHeight + slant);
    const text = intersect(safeArea, box(0, imageHeight + slant + Math.round(Math.min(W, H) * 0.02), W, H));
    return stacked(
      scene,
      image,
      `polygon(0 0, ${W}px 0, ${W}px ${imageHeight}px, 0 ${imageHeight + slant}px)`,
      text,
    );
  },
};

async function stacked(scene: Scene, imageBox: Box, clipPath: string, text: Box): Promise<Composition> {
  const { width: W, height: H, shape, safeArea } = scene.placement;
  const c = scene.brand.colors;
  const ink = readableOn(c.primary, WHITE, c.background, INK);
  const unit = Math.min(W, H);
  const small = unit < 400;
  const gap = Math.round(unit * (small ? 0.035 : 0.028));

  // Beside the image the brand heads the text; above it, it sits on the image as a chip.
  const markOnImage = shape !== 'wide';
  const markHeight = Math.round(shape === 'wide' ? H * 0.068 : Math.max(18, unit * 0.065));
  const mark = await brandMark(scene, {
    height: markHeight,
    maxWidth: brandMarkWidth(markHeight, text.width),
    colour: ink,
    tile: c.secondary,
    chip: markOnImage,
  });
  const markSpace = markOnImage ? 0 : markHeight + gap * 2;
  const stack = copyStack(scene, {
    width: text.width,
    height: text.height - markSpace,
    align: 'left',
    colour: ink,
    gap,
    headline: {
      maxSize: Math.round(shape === 'wide' ? H * 0.105 : unit * (small ? 0.1 : 0.09)),
      minSize: Math.max(10, Math.round(unit * 0.045)),
      maxLines: shape === 'tall' ? (small ? 6 : 4) : 3,
    },
    subline: {
      maxSize: Math.round(shape === 'wide' ? H * 0.042 : unit * 0.04),
      minSize: Math.max(9, Math.round(unit * 0.028)),
      maxLines: small ? 3 : 3,
      colour: withAlpha(ink, 0.86),
    },
    button: {
      height: Math.round(shape === 'wide' ? H * 0.1 : small ? Math.max(26, unit * 0.13) : unit * 0.085),
      ...buttonColours(scene, c.primary),
      fullWidth: shape === 'tall' && small,
    },
  });
  const content = markOnImage
    ? column(text, { justifyContent: 'center' }, stack.element)
    : column(
        text,
        {},
        h('div', { style: { display: 'flex', alignSelf: 'flex-start' } }, mark),
        h(
          'div',
          { style: { display: 'flex', flexDirection: 'column', flexGrow: 1, justifyContent: 'center' } },
          stack.element,
        ),
      );
  const markLayer =
    markOnImage &&
    layer(box(safeArea.x, safeArea.y, brandMarkWidth(markHeight, safeArea.width), markHeight), {}, mark);

  const element = h(
    'div',
    { style: { display: 'flex', position: 'relative', width: W, height: H, backgroundColor: c.primary } },
    await imagePanel(scene, imageBox, { colour: c.secondary, clipPath }),
    content,
    markLayer,
  );
  return { element, textArea: text };
}

/** One line: the image as a slanted tile (or the brand without one), the headline, the button. */
async function strip(scene: Scene): Promise<Composition> {
  const { width: W, height: H, safeArea } = scene.placement;
  const c = scene.brand.colors;
  const ink = readableOn(c.primary, WHITE, c.background, INK);
  const slant = Math.round(H * 0.28);
  const tile = scene.image ? Math.round(H * 1.25) : 0;
  const gap = Math.round(H * 0.16);
  const text = intersect(safeArea, box(tile ? tile - slant / 2 + gap : 0, 0, W, H));
  const buttonHeight = Math.round(safeArea.height * (H < 70 ? 0.8 : 0.62));
  const cta = scene.copy.callToAction
    ? ctaButton(scene, scene.copy.callToAction, {
        height: buttonHeight,
        maxWidth: Math.round(text.width * (H < 70 ? 0.42 : 0.36)),
        arrow: H >= 70,
        ...buttonColours(scene, c.primary),
      })
    : undefined;
  const showMark = !tile && H >= 70;
  const markHeight = Math.round(safeArea.height * 0.5);
  const markWidth = showMark
    ? Math.min(Math.round(text.width * 0.26), brandMarkWidth(markHeight, text.width))
    : 0;
  const mark =
    showMark &&
    (await brandMark(scene, { height: markHeight, maxWidth: markWidth, colour: ink, tile: c.secondary }));
  const headlineWidth = text.width - (cta ? cta.width + gap : 0) - (showMark ? markWidth + gap : 0);
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
    { style: { display: 'flex', position: 'relative', width: W, height: H, backgroundColor: c.primary } },
    tile > 0 &&
      (await imagePanel(scene, box(0, 0, tile, H), {
        colour: c.secondary,
        clipPath: `polygon(0 0, ${tile}px 0, ${tile - slant}px ${H}px, 0 ${H}px)`,
        productScale: 0.86,
      })),
    layer(
      text,
      { alignItems: 'center', overflow: 'hidden' },
      mark,
      mark && spacer(gap),
      h('div', { style: { display: 'flex', width: headlineWidth, alignItems: 'center' } }, headline.element),
      cta && spacer(gap),
      cta?.element,
    ),
  );
  return { element, textArea: text };
}
