/**
 * Colour arithmetic for brand kits: layouts derive tints, overlays and readable text colours from
 * the four brand colours, so any kit stays legible (WCAG contrast) without per-brand tuning.
 */
export type Rgb = [number, number, number];

export const HEX_COLOUR = /^#[0-9a-f]{6}$/i;
export const WHITE = '#ffffff';
export const INK = '#0f172a';

export function parseHex(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b]
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** `a` moved towards `b` by `t` (0 = a, 1 = b). */
export function mix(a: string, b: string, t: number): string {
  const x = parseHex(a);
  const y = parseHex(b);
  return toHex([x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t]);
}

export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = parseHex(hex);
  return `rgba(${r},${g},${b},${alpha})`;
}

/** WCAG relative luminance. */
export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The first candidate readable on `background` (contrast 4.5, WCAG AA for body text), else
 * white or ink, whichever reads better: brand colours are used when they work, never at the
 * price of legibility.
 */
export function readableOn(background: string, ...candidates: string[]): string {
  for (const c of candidates) if (contrast(c, background) >= 4.5) return c;
  return contrast(WHITE, background) >= contrast(INK, background) ? WHITE : INK;
}

export function isDark(hex: string): boolean {
  return luminance(hex) < 0.22;
}

/**
 * The colour with its hue turned by `degrees` and its lightness moved by `lighten` (-1..1): a
 * gradient from a brand colour to a neighbour on the colour wheel stays vivid, where mixing two
 * brand colours often goes muddy.
 */
export function shiftHue(hex: string, degrees: number, lighten = 0): string {
  const [r, g, b] = parseHex(hex).map((c) => c / 255) as Rgb;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  const s = d === 0 ? 0 : d / (1 - Math.abs(2 * l - 1));
  let hue = 0;
  if (d !== 0) {
    if (max === r) hue = ((g - b) / d) % 6;
    else if (max === g) hue = (b - r) / d + 2;
    else hue = (r - g) / d + 4;
  }
  hue = (((hue * 60 + degrees) % 360) + 360) % 360;
  const light = Math.min(1, Math.max(0, l + lighten));
  const chroma = (1 - Math.abs(2 * light - 1)) * s;
  const x = chroma * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = light - chroma / 2;
  const [r1, g1, b1] =
    hue < 60
      ? [chroma, x, 0]
      : hue < 120
        ? [x, chroma, 0]
        : hue < 180
          ? [0, chroma, x]
          : hue < 240
            ? [0, x, chroma]
            : hue < 300
              ? [x, 0, chroma]
              : [chroma, 0, x];
  return toHex([(r1 + m) * 255, (g1 + m) * 255, (b1 + m) * 255]);
}
