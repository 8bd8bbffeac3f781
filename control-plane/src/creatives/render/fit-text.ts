import type { FontFamilyId, FontSet, FontWeight } from './fonts.ts';

export interface TextStyle {
  family: FontFamilyId;
  weight: FontWeight;
  /** Multiple of the font size. */
  lineHeight: number;
  /** In em, as CSS letter-spacing; negative tightens headlines. */
  letterSpacing?: number;
  uppercase?: boolean;
}

export interface TextBounds {
  width: number;
  height: number;
  maxLines: number;
  maxSize: number;
  minSize: number;
}

export interface FittedText {
  fontSize: number;
  /** Lines the text takes at that size, by our measure. */
  lines: number;
  /** Lines the box allows at that size: the clamp satori applies, with an ellipsis, if our measure was short. */
  maxLines: number;
  /** The text did not fit even at the smallest size: it is cut with an ellipsis. */
  truncated: boolean;
  /**
   * The narrowest width that keeps the same number of lines, so lines come out even rather than
   * one long line and a stray word (what CSS `text-wrap: balance` does; satori's own balancing
   * can add a line, which the clamp then cuts).
   */
  balancedWidth: number;
}

// Satori shapes with HarfBuzz (kerning, ligatures) and rounds widths up to whole pixels: keep a
// little slack so a line we measure as fitting also fits there.
const WIDTH_SLACK = 0.96;

/**
 * The largest font size at which `text` fits the bounds, wrapping at spaces (and inside words
 * too long for a line, as `overflowWrap: break-word` does). Below `minSize` it stays at
 * `minSize` and is cut to the lines that fit. Widths come from the font's own advance widths,
 * so "WWW" and "iii" fit differently, as they render.
 */
export function fitText(fonts: FontSet, text: string, style: TextStyle, bounds: TextBounds): FittedText {
  const shown = style.uppercase ? text.toUpperCase() : text;
  const measure = (s: string, size: number) => measureText(fonts, s, style, size);
  const width = bounds.width * WIDTH_SLACK;

  let size = Math.max(bounds.minSize, bounds.maxSize);
  for (;;) {
    const allowed = Math.min(bounds.maxLines, Math.floor(bounds.height / (size * style.lineHeight)));
    const wrapped =
      allowed > 0
        ? wrap(shown, width, (s) => measure(s, size))
        : { lines: Number.POSITIVE_INFINITY, brokeWord: false };
    const lines = wrapped.lines;
    // Breaking inside a word is the last resort, taken only at the smallest size.
    if (lines <= allowed && (!wrapped.brokeWord || size <= bounds.minSize)) {
      const balancedWidth =
        lines > 1 ? balance(shown, lines, bounds.width, (s) => measure(s, size)) : bounds.width;
      return { fontSize: size, lines, maxLines: allowed, truncated: false, balancedWidth };
    }
    const next = Math.floor(size * 0.95);
    if (next < bounds.minSize || size <= bounds.minSize) {
      // Even the smallest size is too big: keep at least one line, shrinking the type to the box if it is that short.
      const fontSize = allowed > 0 ? size : Math.max(1, Math.floor(bounds.height / style.lineHeight));
      const maxLines = Math.max(1, allowed);
      return {
        fontSize,
        lines: Math.min(lines, maxLines),
        maxLines,
        truncated: true,
        balancedWidth: bounds.width,
      };
    }
    size = Math.max(bounds.minSize, next);
  }
}

function balance(text: string, lines: number, width: number, measure: (s: string) => number): number {
  let lo = Math.floor(width / lines);
  let hi = width;
  while (hi - lo > 2) {
    const mid = Math.floor((lo + hi) / 2);
    if (countLines(text, mid * WIDTH_SLACK, measure) <= lines) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The width of one line of text, in pixels. */
export function measureText(fonts: FontSet, text: string, style: TextStyle, size: number): number {
  const font = fonts.family(style.family).metrics.get(style.weight);
  if (!font) throw new Error(`weight ${style.weight} of ${style.family} is not loaded`);
  const shown = style.uppercase ? text.toUpperCase() : text;
  return (
    font.getAdvanceWidth(shown, size, { kerning: true }) +
    (style.letterSpacing ?? 0) * size * Math.max(0, [...shown].length - 1)
  );
}

/** Greedy line breaking, as browsers and satori do it. */
export function countLines(text: string, width: number, measure: (s: string) => number): number {
  return wrap(text, width, measure).lines;
}

function wrap(
  text: string,
  width: number,
  measure: (s: string) => number,
): { lines: number; brokeWord: boolean } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let brokeWord = false;
  let lines = 0;
  let current = '';
  for (const word of words) {
    const candidate = current ? `${current} ${word}` : word;
    if (measure(candidate) <= width) {
      current = candidate;
      continue;
    }
    if (current) lines++;
    // A word wider than the line breaks inside itself.
    let rest = word;
    while (measure(rest) > width && rest.length > 1) {
      brokeWord = true;
      let cut = rest.length - 1;
      while (cut > 1 && measure(rest.slice(0, cut)) > width) cut--;
      lines++;
      rest = rest.slice(cut);
    }
    current = rest;
  }
  return { lines: lines + (current ? 1 : 0), brokeWord };
}
