import type { Box } from '../box.ts';
import { contrast, INK, readableOn, WHITE, withAlpha } from '../colour.ts';
import { type Element, h, type Style } from '../element.ts';
import { fitText, measureText, type TextStyle } from '../fit-text.ts';
import { FONT_FAMILIES, type FontWeight } from '../fonts.ts';
import type { Scene } from '../layout.ts';

/** Building blocks the layouts share: fitted text, the button, the brand mark, a badge. */

export type TextRole = 'headline' | 'body' | 'label';

export interface TextSpec {
  role: TextRole;
  width: number;
  /** The most height the text may take; it takes less when it needs less. */
  height: number;
  maxLines: number;
  maxSize: number;
  minSize: number;
  colour: string;
  align?: 'left' | 'center';
  weight?: FontWeight;
  uppercase?: boolean;
}

export interface PlacedText {
  element: Element;
  height: number;
  fontSize: number;
  /** Cut with an ellipsis: it did not fit even at its smallest size. */
  truncated: boolean;
}

export function textStyle(scene: Scene, role: TextRole, weight?: FontWeight, uppercase = false): TextStyle {
  const family = FONT_FAMILIES[scene.brand.font];
  const serif = scene.brand.font === 'playfair-display';
  if (role === 'headline') {
    return {
      family: scene.brand.font,
      weight: weight ?? family.headlineWeight,
      lineHeight: serif ? 1.12 : 1.08,
      letterSpacing: family.tracking,
      uppercase,
    };
  }
  if (role === 'body')
    return { family: scene.brand.font, weight: weight ?? 400, lineHeight: 1.38, letterSpacing: 0, uppercase };
  return {
    family: scene.brand.font,
    weight: weight ?? 700,
    lineHeight: 1.15,
    letterSpacing: uppercase ? 0.06 : 0,
    uppercase,
  };
}

/**
 * Text at the largest size that fits its box, clamped by satori to the lines the box allows
 * (with an ellipsis) should our measure be a pixel short: text never spills out of its box.
 */
export function fittedText(scene: Scene, text: string, spec: TextSpec): PlacedText {
  const style = textStyle(scene, spec.role, spec.weight, spec.uppercase);
  const fitted = fitText(scene.fonts, text, style, spec);
  const lineHeight = Math.round(fitted.fontSize * style.lineHeight);
  const css: Style = {
    display: 'block',
    width: spec.role === 'label' ? spec.width : fitted.balancedWidth,
    fontFamily: FONT_FAMILIES[scene.brand.font].name,
    fontSize: fitted.fontSize,
    fontWeight: style.weight,
    lineHeight: `${lineHeight}px`,
    letterSpacing: (style.letterSpacing ?? 0) * fitted.fontSize,
    color: spec.colour,
    textAlign: spec.align ?? 'left',
    overflowWrap: 'break-word',
    // No overflow clipping here: it would cut the descenders of the last line. The clamp bounds
    // the lines, and the text area around the text clips.
    textOverflow: 'ellipsis',
    lineClamp: fitted.maxLines,
    flexShrink: 0,
  };
  if (style.uppercase) css.textTransform = 'uppercase';
  if (spec.align === 'center') css.alignSelf = 'center';
  return {
    element: h('div', { style: css }, text),
    height: lineHeight * Math.min(fitted.lines, fitted.maxLines),
    fontSize: fitted.fontSize,
    truncated: fitted.truncated,
  };
}

export function arrowIcon(size: number, colour: string): Element {
  return h(
    'svg',
    { width: size, height: size, viewBox: '0 0 24 24', style: { flexShrink: 0 } },
    h('path', {
      d: 'M4 12h15M13 5.5l6.5 6.5-6.5 6.5',
      fill: 'none',
      stroke: colour,
      'stroke-width': 2.6,
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    }),
  );
}

export interface ButtonSpec {
  height: number;
  maxWidth: number;
  background: string;
  colour: string;
  /** Take the whole width (narrow columns, skyscrapers). */
  fullWidth?: boolean;
  radius?: number;
  shadow?: boolean;
  /** The arrow after the label; by default only where there is room for it. */
  arrow?: boolean;
}

/** The call to action: a real button, label and arrow on a pill, sized to its label. */
export function ctaButton(
  scene: Scene,
  label: string,
  spec: ButtonSpec,
): { element: Element; width: number } {
  const style = textStyle(scene, 'label');
  const pad = Math.round(spec.height * 0.48);
  const maxSize = Math.round(spec.height * 0.4);
  const withArrow = spec.arrow ?? spec.maxWidth >= spec.height * 3.5;
  const arrow = Math.round(maxSize * 1.05);
  const gap = Math.round(maxSize * 0.45);
  const room = spec.maxWidth - 2 * pad - (withArrow ? arrow + gap : 0);
  const fitted = fitText(scene.fonts, label, style, {
    width: room,
    height: spec.height,
    maxLines: 1,
    maxSize,
    minSize: Math.max(8, Math.round(spec.height * 0.28)),
  });
  const textWidth = Math.min(room, Math.ceil(measureText(scene.fonts, label, style, fitted.fontSize)) + 2);
  const width = spec.fullWidth ? spec.maxWidth : 2 * pad + textWidth + (withArrow ? arrow + gap : 0);
  const element = h(
    'div',
    {
      style: {
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        flexShrink: 0,
        boxSizing: 'border-box',
        width,
        height: spec.height,
        paddingLeft: pad,
        paddingRight: pad,
        borderRadius: spec.radius ?? spec.height / 2,
        backgroundColor: spec.background,
        // A crisp offset shadow: a blurred one costs resvg ~150 ms a button.
        ...(spec.shadow === false
          ? {}
          : { boxShadow: `0 ${Math.max(1, Math.round(spec.height * 0.07))}px 0 ${withAlpha(INK, 0.28)}` }),
      },
    },
    h(
      'div',
      {
        style: {
          display: 'block',
          maxWidth: room,
          fontFamily: FONT_FAMILIES[scene.brand.font].name,
          fontSize: fitted.fontSize,
          fontWeight: style.weight,
          lineHeight: `${Math.round(fitted.fontSize * 1.2)}px`,
          color: spec.colour,
          whiteSpace: 'nowrap',
          overflow: 'hidden',
          textOverflow: 'ellipsis',
        },
      },
      label,
    ),
    withArrow && h('div', { style: { display: 'flex', width: gap } }),
    withArrow && arrowIcon(arrow, spec.colour),
  );
  return { element, width };
}

/** Button colours that stand out on `surface`: the accent when it does, else the surface's ink. */
export function buttonColours(scene: Scene, surface: string): { background: string; colour: string } {
  const { secondary, primary, background } = scene.brand.colors;
  for (const candidate of [secondary, primary, background]) {
    if (contrast(candidate, surface) >= 1.8)
      return { background: candidate, colour: readableOn(candidate, WHITE, INK) };
  }
  const ink = readableOn(surface, WHITE, INK);
  return { background: ink, colour: readableOn(ink, surface, WHITE, INK) };
}

export interface BrandMarkSpec {
  height: number;
  maxWidth: number;
  /** The wordmark's colour. */
  colour: string;
  /** The wordmark's initial tile. */
  tile: string;
  /** Put a logo on a light chip, for dark or busy backdrops. */
  chip?: boolean;
}

/** The logo when the kit has one, else a wordmark: the initial on a tile, then the name. */
export async function brandMark(scene: Scene, spec: BrandMarkSpec): Promise<Element> {
  if (scene.logo) {
    const pad = spec.chip ? Math.round(spec.height * 0.22) : 0;
    const logo = await scene.logo({
      width: spec.maxWidth - Math.ceil(3.2 * pad),
      height: spec.height - 2 * pad,
    });
    const img = h('img', { src: logo.src, width: logo.width, height: logo.height });
    if (!spec.chip)
      return h('div', { style: { display: 'flex', height: spec.height, alignItems: 'center' } }, img);
    return h(
      'div',
      {
        style: {
          display: 'flex',
          alignItems: 'center',
          boxSizing: 'border-box',
          padding: pad,
          paddingLeft: pad * 1.6,
          paddingRight: pad * 1.6,
          borderRadius: spec.height * 0.3,
          backgroundColor: WHITE,
        },
      },
      img,
    );
  }
  const chipPad = spec.chip ? Math.round(spec.height * 0.2) : 0;
  const tile = spec.height - 2 * chipPad;
  const gap = Math.round(tile * 0.32);
  const initial = [...scene.brand.name][0]?.toUpperCase() ?? '';
  const name = fittedText(scene, scene.brand.name, {
    role: 'label',
    width: Math.max(1, spec.maxWidth - tile - gap - 3 * chipPad),
    height: tile,
    maxLines: 1,
    maxSize: Math.round(tile * 0.56),
    minSize: Math.max(7, Math.round(tile * 0.36)),
    colour: spec.chip ? INK : spec.colour,
    weight: 800,
  });
  const nameWidth =
    Math.ceil(measureText(scene.fonts, scene.brand.name, textStyle(scene, 'label', 800), name.fontSize)) + 2;
  return h(
    'div',
    {
      style: {
        display: 'flex',
        alignItems: 'center',
        flexShrink: 0,
        height: spec.height,
        maxWidth: spec.maxWidth,
        ...(spec.chip
          ? {
              boxSizing: 'border-box',
              padding: chipPad,
              paddingRight: chipPad * 2,
              borderRadius: spec.height / 2,
              backgroundColor: WHITE,
            }
          : {}),
      },
    },
    h(
      'div',
      {
        style: {
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          flexShrink: 0,
          width: tile,
          height: tile,
          borderRadius: Math.round(tile * (spec.chip ? 0.5 : 0.28)),
          backgroundColor: spec.tile,
          color: readableOn(spec.tile, WHITE, INK),
          fontFamily: FONT_FAMILIES[scene.brand.font].name,
          fontWeight: 800,
          fontSize: Math.round(tile * 0.56),
        },
      },
      initial,
    ),
    h('div', { style: { display: 'flex', width: gap, flexShrink: 0 } }),
    h(
      'div',
      { style: { display: 'flex', width: Math.min(nameWidth, spec.maxWidth - tile - gap - 3 * chipPad) } },
      name.element,
    ),
  );
}

/** Width a wordmark or logo needs at most for a given height: logos are wide, names vary. */
export function brandMarkWidth(height: number, room: number): number {
  return Math.min(room, Math.round(height * 7));
}

/** A round flag ("New", "-20%"), tilted a little like a sticker. */
export function badge(scene: Scene, text: string, size: number, background: string): Element {
  const label = fittedText(scene, text, {
    role: 'label',
    width: Math.round(size * 0.74),
    height: Math.round(size * 0.6),
    maxLines: 2,
    maxSize: Math.round(size * 0.26),
    minSize: Math.max(7, Math.round(size * 0.13)),
    colour: readableOn(background, WHITE, INK),
    align: 'center',
    weight: 800,
    uppercase: true,
  });
  return h(
    'div',
    {
      style: {
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        width: size,
        height: size,
        borderRadius: size / 2,
        backgroundColor: background,
        transform: 'rotate(-10deg)',
        boxShadow: `0 ${Math.max(1, Math.round(size * 0.035))}px 0 ${withAlpha(INK, 0.25)}`,
      },
    },
    label.element,
  );
}

/** An absolutely positioned layer covering `b`. */
export function layer(b: Box, style: Style, ...children: (Element | false | undefined | null)[]): Element {
  return h(
    'div',
    {
      style: {
        display: 'flex',
        position: 'absolute',
        left: b.x,
        top: b.y,
        width: b.width,
        height: b.height,
        ...style,
      },
    },
    ...children,
  );
}

/** A column of parts with fixed gaps, clipped to its box so nothing can spill past it. */
export function column(b: Box, style: Style, ...children: (Element | false | undefined | null)[]): Element {
  return layer(b, { flexDirection: 'column', overflow: 'hidden', ...style }, ...children);
}

export function spacer(size: number): Element {
  return h('div', { style: { display: 'flex', width: size, height: size, flexShrink: 0 } });
}

export interface CopyStackSpec {
  width: number;
  /** Height available for the whole stack. */
  height: number;
  align: 'left' | 'center';
  colour: string;
  gap: number;
  headline: { maxSize: number; minSize: number; maxLines: number };
  /** Left out when false, or when the copy has none. */
  subline: { maxSize: number; minSize: number; maxLines: number; colour: string } | false;
  /** Left out when false, or when the frame shows no call to action. */
  button: (Omit<ButtonSpec, 'maxWidth'> & { maxWidth?: number }) | false;
}

/**
 * Headline, subline and button, stacked. The button's height and two lines of subline at their
 * smallest are set aside first, so a long headline shrinks instead of pushing the subline out;
 * the headline then takes the largest size that fits, and the subline what is left. When even
 * that cuts the headline, the subline gives way: the headline matters more.
 */
export function copyStack(scene: Scene, spec: CopyStackSpec): { element: Element; height: number } {
  const { copy } = scene;
  const button =
    spec.button && copy.callToAction
      ? ctaButton(scene, copy.callToAction, { maxWidth: spec.width, ...spec.button })
      : undefined;
  const buttonSpace = button && spec.button ? spec.button.height + Math.round(spec.gap * 1.4) : 0;
  let wantsSubline = Boolean(spec.subline && copy.subline);
  const sublineReserve =
    wantsSubline && spec.subline
      ? Math.ceil(Math.min(2, spec.subline.maxLines) * spec.subline.minSize * 1.38) + spec.gap
      : 0;
  const fitHeadline = (reserve: number) =>
    fittedText(scene, copy.headline, {
      role: 'headline',
      width: spec.width,
      height: Math.max(0, spec.height - buttonSpace - reserve),
      ...spec.headline,
      colour: spec.colour,
      align: spec.align,
    });
  let headline = fitHeadline(sublineReserve);
  if (headline.truncated && wantsSubline) {
    wantsSubline = false;
    headline = fitHeadline(0);
  }
  const sublineRoom = spec.height - buttonSpace - headline.height - spec.gap;
  const subline =
    wantsSubline && spec.subline && copy.subline && sublineRoom >= spec.subline.minSize * 1.38
      ? fittedText(scene, copy.subline, {
          role: 'body',
          width: spec.width,
          height: sublineRoom,
          maxLines: spec.subline.maxLines,
          maxSize: spec.subline.maxSize,
          minSize: spec.subline.minSize,
          colour: spec.subline.colour,
          align: spec.align,
        })
      : undefined;
  const height = headline.height + (subline ? spec.gap + subline.height : 0) + buttonSpace;
  const element = h(
    'div',
    {
      style: {
        display: 'flex',
        flexDirection: 'column',
        alignItems: spec.align === 'center' ? 'center' : 'flex-start',
        width: spec.width,
        flexShrink: 0,
      },
    },
    headline.element,
    subline && spacer(spec.gap),
    subline?.element,
    button && spacer(Math.round(spec.gap * 1.4)),
    button?.element,
  );
  return { element, height };
}

/**
 * A soft shadow under a rounded box, drawn as a few stacked translucent boxes growing outwards.
 * It looks like a blurred shadow but costs nothing: resvg's Gaussian blur over a card-sized
 * area took seconds a render.
 */
export function softShadow(b: Box, radius: number, depth: number, alpha = 0.08): Element[] {
  return [1, 2, 3, 4].map((step) => {
    const spread = Math.round((depth * step) / 4);
    return h('div', {
      style: {
        display: 'flex',
        position: 'absolute',
        left: b.x - spread,
        top: b.y - spread + Math.round(spread * 0.8),
        width: b.width + 2 * spread,
        height: b.height + 2 * spread,
        borderRadius: radius + spread,
        backgroundColor: withAlpha(INK, alpha / step),
      },
    });
  });
}

/**
 * The shadow a product casts on the ground: an ellipse under its bottom edge, shaded with a
 * radial gradient (cheap) rather than an SVG drop-shadow filter (a blur over the whole image).
 */
export function floorShadow(slot: Box, product: { width: number; height: number }, alpha = 0.32): Element {
  const width = Math.round(product.width * 0.9);
  const height = Math.max(4, Math.round(product.height * 0.07));
  const bottom = slot.y + (slot.height + product.height) / 2;
  return h('div', {
    style: {
      display: 'flex',
      position: 'absolute',
      left: Math.round(slot.x + (slot.width - width) / 2),
      top: Math.round(bottom - height * 0.6),
      width,
      height,
      backgroundImage: `radial-gradient(ellipse at center, ${withAlpha(INK, alpha)} 0%, ${withAlpha(INK, 0)} 70%)`,
    },
  });
}
