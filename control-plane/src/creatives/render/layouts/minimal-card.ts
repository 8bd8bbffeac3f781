import { type Box, box, inset } from '../box.ts';
import { INK, mix, readableOn } from '../colour.ts';
import { type Element, h } from '../element.ts';
import type { Composition, Layout, Scene } from '../layout.ts';
import { pattern } from './image-panel.ts';
import {
  brandMark,
  brandMarkWidth,
  buttonColours,
  column,
  copyStack,
  ctaButton,
  fittedText,
  floorShadow,
  layer,
  softShadow,
  spacer,
} from './parts.ts';

/**
 * A light card floating on the brand colour (or on the photo): quiet, editorial, the most
 * legible of the layouts. A product sits inside the card on a tinted panel.
 */
export const minimalCard: Layout = {
  id: 'minimal-card',
  name: 'Minimal card',
  description: 'A light card with the copy, floating on the brand colour or the photo',
  async compose(scene) {
    const { width: W, height: H, shape, safeArea } = scene.placement;
    const c = scene.brand.colors;
    const unit = Math.min(W, H);
    const small = unit < 400;
    const backdrop = await backdropOf(scene);
    if (shape === 'strip') return strip(scene, backdrop);

    const kind = scene.image?.kind;
    const radius = Math.round(unit * (small ? 0.035 : 0.03));
    // The card, and inside it the product's panel when there is one.
    let card: Box;
    let productPanel: Box | undefined;
    const pad = Math.round(unit * (small ? 0.06 : 0.055));
    if (shape === 'wide') {
      const cardWidth =
        kind === 'product' ? safeArea.width : Math.round(safeArea.width * (kind === 'photo' ? 0.56 : 0.66));
      card = box(
        kind === 'photo' ? safeArea.x : Math.round((W - cardWidth) / 2),
        safeArea.y,
        cardWidth,
        safeArea.height,
      );
      if (kind === 'product')
        productPanel = box(
          card.x + Math.round(card.width * 0.56),
          card.y + pad / 2,
          Math.round(card.width * 0.44) - pad / 2,
          card.height - pad,
        );
    } else if (kind === 'photo' || (kind === undefined && shape === 'tall')) {
      // The card sits low, leaving the photo (or, in a tall placement, the brand pattern) on show above it.
      const cardHeight = Math.round(
        safeArea.height * (shape === 'tall' ? (kind ? 0.5 : 0.62) : small ? 0.7 : 0.58),
      );
      card = box(safeArea.x, safeArea.y + safeArea.height - cardHeight, safeArea.width, cardHeight);
    } else {
      card = safeArea;
      if (kind === 'product') {
        const panelHeight = Math.round(card.height * (shape === 'tall' ? 0.46 : 0.4));
        productPanel = box(card.x + pad / 2, card.y + pad / 2, card.width - pad, panelHeight);
      }
    }
    const text = productPanel
      ? shape === 'wide'
        ? box(card.x + pad, card.y + pad, productPanel.x - card.x - pad * 1.6, card.height - 2 * pad)
        : box(
            card.x + pad,
            productPanel.y + productPanel.height + pad * 0.8,
            card.width - 2 * pad,
            card.y + card.height - productPanel.y - productPanel.height - pad * 1.8,
          )
      : inset(card, pad);

    const gap = Math.round(unit * (small ? 0.035 : 0.026));
    const markHeight = Math.round(shape === 'wide' ? H * 0.06 : Math.max(16, unit * 0.055));
    // Above a product panel the brand sits on the panel, leaving the text its room.
    const markOnPanel = productPanel !== undefined && shape !== 'wide';
    const mark = await brandMark(scene, {
      height: markHeight,
      maxWidth: brandMarkWidth(markHeight, text.width),
      colour: readableOn(c.background, c.text, INK),
      tile: c.primary,
    });
    const accent = Math.max(3, Math.round(unit * 0.008));
    const ink = readableOn(c.background, c.text, INK);
    const stack = copyStack(scene, {
      width: text.width,
      height: text.height - (markOnPanel ? 0 : markHeight + gap * 2) - accent - gap,
      align: 'left',
      colour: ink,
      gap,
      headline: {
        maxSize: Math.round(
          shape === 'wide' ? H * 0.09 : unit * (shape === 'tall' && small ? 0.14 : small ? 0.09 : 0.08),
        ),
        minSize: Math.max(11, Math.round(unit * 0.042)),
        maxLines: shape === 'tall' ? (small ? 6 : 4) : 3,
      },
      subline: {
        maxSize: Math.round(shape === 'wide' ? H * 0.04 : unit * 0.036),
        minSize: Math.max(10, Math.round(unit * 0.028)),
        maxLines: 3,
        colour: readableOn(c.background, mix(ink, c.background, 0.3), ink),
      },
      button: {
        height: Math.round(shape === 'wide' ? H * 0.095 : small ? Math.max(26, unit * 0.12) : unit * 0.08),
        ...buttonColours(scene, c.background),
        radius: Math.round(unit * 0.014),
        shadow: false,
        fullWidth: shape === 'tall' && small,
      },
    });
    const element = h(
      'div',
      { style: { display: 'flex', position: 'relative', width: W, height: H, backgroundColor: c.primary } },
      backdrop,
      ...softShadow(card, radius, Math.round(unit * 0.024), 0.14),
      layer(card, { borderRadius: radius, backgroundColor: c.background }),
      productPanel && (await productOn(scene, productPanel, Math.round(radius * 0.7))),
      markOnPanel &&
        productPanel &&
        layer(
          box(
            productPanel.x + pad / 2,
            productPanel.y + pad / 2,
            brandMarkWidth(markHeight, productPanel.width - pad),
            markHeight,
          ),
          {},
          mark,
        ),
      column(
        text,
        {},
        !markOnPanel && mark,
        h(
          'div',
          { style: { display: 'flex', flexDirection: 'column', flexGrow: 1, justifyContent: 'center' } },
          h('div', {
            style: {
              display: 'flex',
              width: Math.round(unit * 0.06),
              height: accent,
              borderRadius: accent,
              backgroundColor: c.secondary,
            },
          }),
          spacer(gap),
          stack.element,
        ),
      ),
    );
    return { element, textArea: text };
  },
};

/** The brand colour with a faint pattern, or the photo full bleed. */
async function backdropOf(scene: Scene): Promise<Element> {
  const { canvas } = scene.placement;
  if (scene.image?.kind === 'photo') {
    const photo = await scene.image.prepare(canvas);
    return layer(canvas, {}, h('img', { src: photo.src, width: photo.width, height: photo.height }));
  }
  return pattern(canvas, scene.brand.colors.primary);
}

async function productOn(scene: Scene, panel: Box, radius: number): Promise<Element> {
  const { secondary, background } = scene.brand.colors;
  const product = await scene.image!.prepare({
    width: Math.round(panel.width * 0.84),
    height: Math.round(panel.height * 0.84),
  });
  return layer(
    panel,
    {
      alignItems: 'center',
      justifyContent: 'center',
      borderRadius: radius,
      backgroundImage: `linear-gradient(160deg, ${mix(background, secondary, 0.16)}, ${mix(background, secondary, 0.32)})`,
    },
    floorShadow({ x: 0, y: 0, width: panel.width, height: panel.height }, product, 0.26),
    h('img', { src: product.src, width: product.width, height: product.height }),
  );
}

/** One line: a light bar on the brand colour with the brand, the headline and the button. */
async function strip(scene: Scene, backdrop: Element): Promise<Composition> {
  const { width: W, height: H, safeArea } = scene.placement;
  const c = scene.brand.colors;
  const ink = readableOn(c.background, c.text, INK);
  const bar = safeArea;
  const pad = Math.round(bar.height * 0.22);
  const text = inset(bar, Math.round(bar.height * 0.14), pad);
  const gap = Math.round(H * 0.14);
  const cta = scene.copy.callToAction
    ? ctaButton(scene, scene.copy.callToAction, {
        height: Math.round(text.height * (H < 70 ? 0.94 : 0.78)),
        maxWidth: Math.round(text.width * (H < 70 ? 0.42 : 0.34)),
        arrow: H >= 70,
        ...buttonColours(scene, c.background),
        radius: Math.round(text.height * 0.16),
        shadow: false,
      })
    : undefined;
  const markHeight = Math.round(text.height * (H < 70 ? 0.8 : 0.62));
  const markWidth =
    H < 70 ? markHeight : Math.min(Math.round(text.width * 0.26), brandMarkWidth(markHeight, text.width));
  const mark = await brandMark(scene, {
    height: markHeight,
    maxWidth: markWidth,
    colour: ink,
    tile: c.primary,
  });
  const headlineWidth = text.width - (cta ? cta.width + gap : 0) - markWidth - gap;
  const headline = fittedText(scene, scene.copy.headline, {
    role: 'headline',
    width: headlineWidth,
    height: text.height,
    maxLines: 2,
    maxSize: Math.round(text.height * 0.5),
    minSize: Math.max(9, Math.round(text.height * 0.28)),
    colour: ink,
  });
  const element = h(
    'div',
    { style: { display: 'flex', position: 'relative', width: W, height: H } },
    backdrop,
    layer(bar, { borderRadius: Math.round(bar.height * 0.2), backgroundColor: c.background }),
    layer(
      text,
      { alignItems: 'center', overflow: 'hidden' },
      h('div', { style: { display: 'flex', width: markWidth, overflow: 'hidden', flexShrink: 0 } }, mark),
      spacer(gap),
      h('div', { style: { display: 'flex', width: headlineWidth } }, headline.element),
      cta && spacer(gap),
      cta?.element,
    ),
  );
  return { element, textArea: text };
}
