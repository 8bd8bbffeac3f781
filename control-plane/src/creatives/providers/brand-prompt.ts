import { findBannedWords } from '../render/banned-words.ts';
import type { BrandKit } from '../render/brand-kit.ts';
import { parseHex } from '../render/colour.ts';
import type { CreativeCopy } from '../render/creative-copy.ts';
import { CreativeProviderError, type CreativeProviderId } from './creative-provider.ts';

/** The shape of what a provider is asked for: AI models take aspect ratios, not pixel sizes. */
export type AspectRatio = '1:1' | '3:2' | '2:3' | '16:9' | '9:16';

export type BrandPromptInput = {
  provider: CreativeProviderId;
  kind: 'image' | 'video';
  brandKit: BrandKit;
  copy: Pick<CreativeCopy, 'headline' | 'subline' | 'callToAction' | 'badge'>;
  prompt?: string | undefined;
  aspectRatio: AspectRatio;
};

/**
 * The prompt every AI provider sends, built from the brand kit so each generation is on brand:
 * its name, colours (in words, which models follow, and hex), tone of voice and the words never
 * to use, then what the ad says and the advertiser's own prompt. Images are asked for without
 * text: TAS composes the copy in each placement's safe area afterwards, in the brand's font, which
 * models cannot be trusted to spell. A prompt or copy using a banned word is refused here, before
 * anything is paid for.
 */
export function brandPrompt(input: BrandPromptInput): string {
  const { brandKit, copy, kind } = input;
  const banned = findBannedWords(
    [input.prompt, copy.headline, copy.subline, copy.callToAction, copy.badge],
    brandKit.bannedWords,
  );
  if (banned.length > 0) {
    throw new CreativeProviderError(
      'moderation_refused',
      `the prompt or copy uses words the brand kit forbids: ${banned.join(', ')}`,
      { provider: input.provider },
    );
  }
  const { primary, secondary, background } = brandKit.colors;
  const colour = (hex: string) => `${colourName(hex)} (${hex})`;
  const lines = [
    kind === 'image'
      ? `A high-quality advertising photograph for the brand "${brandKit.name}".`
      : `A short, smooth advertising video for the brand "${brandKit.name}".`,
    `Brand colours: mainly ${colour(primary)}, accents of ${colour(secondary)}, light areas ${colour(background)}.`,
    brandKit.tone ? `Tone of voice and mood: ${brandKit.tone}.` : undefined,
    `The ad's message: "${copy.headline}"${copy.subline ? ` — ${copy.subline}` : ''}.`,
    input.prompt ? `Scene: ${input.prompt}` : undefined,
    kind === 'image'
      ? 'No text, letters, logos, watermarks or captions anywhere in the image: the headline is added afterwards. Keep the main subject away from the edges, with calm areas where text can sit.'
      : 'No on-screen text, captions, logos or watermarks.',
    brandKit.bannedWords.length > 0
      ? `Never show, say or suggest these words: ${brandKit.bannedWords.join(', ')}.`
      : undefined,
    `Aspect ratio ${input.aspectRatio}${orientation(input.aspectRatio)}.`,
  ];
  return lines.filter(Boolean).join('\n');
}

function orientation(ratio: AspectRatio): string {
  if (ratio === '1:1') return ', square';
  const [w, h] = ratio.split(':').map(Number) as [number, number];
  return w > h ? ', landscape' : ', portrait';
}

const HUES: [number, string][] = [
  [15, 'red'],
  [40, 'orange'],
  [65, 'yellow'],
  [90, 'lime green'],
  [150, 'green'],
  [185, 'teal'],
  [200, 'cyan'],
  [250, 'blue'],
  [265, 'indigo'],
  [310, 'purple'],
  [340, 'pink'],
  [360, 'red'],
];

/** A colour in plain words ("dark teal", "light grey"): models follow words better than hex. */
export function colourName(hex: string): string {
  const [r, g, b] = parseHex(hex).map((c) => c / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const lightness = (max + min) / 2;
  const chroma = max - min;
  const saturation = chroma === 0 ? 0 : chroma / (1 - Math.abs(2 * lightness - 1));
  if (lightness > 0.95) return 'white';
  if (lightness < 0.07) return 'black';
  const shade = lightness < 0.35 ? 'dark ' : lightness > 0.75 ? 'light ' : '';
  if (saturation < 0.12) return `${shade}grey`;
  let hue = 0;
  if (max === r) hue = ((g - b) / chroma) % 6;
  else if (max === g) hue = (b - r) / chroma + 2;
  else hue = (r - g) / chroma + 4;
  hue = (hue * 60 + 360) % 360;
  const name = HUES.find(([limit]) => hue < limit)?.[1] ?? 'red';
  if (name === 'orange' && lightness < 0.35) return 'brown';
  return `${shade}${name}`;
}
