import { z } from 'zod';
import { HEX_COLOUR } from './colour.ts';
import { FONT_FAMILY_IDS } from './fonts.ts';
import { imageBytesSchema } from './image-input.ts';

const hexColourSchema = z.string().regex(HEX_COLOUR, 'a colour as #rrggbb');

/** An advertiser's brand, applied to every creative generated for it. */
export const brandKitSchema = z
  .object({
    name: z.string().trim().min(1).max(60).describe('Shown as a wordmark when there is no logo'),
    colors: z.object({
      primary: hexColourSchema.describe('The dominant brand colour: panels, gradients'),
      secondary: hexColourSchema.describe('The accent: buttons, badges, decoration'),
      background: hexColourSchema.describe('Light surfaces: cards, product backdrops'),
      text: hexColourSchema.describe('Body text on the background colour'),
    }),
    font: z.enum(FONT_FAMILY_IDS).describe('One of the bundled font families'),
    logo: imageBytesSchema.optional().describe('PNG, JPEG or WebP; SVG is refused'),
    tone: z
      .string()
      .trim()
      .max(300)
      .optional()
      .describe('Tone of voice, for AI providers; templates ignore it'),
    bannedWords: z
      .array(z.string().trim().min(1).max(80))
      .max(500)
      .default([])
      .describe('Words and phrases no creative of this brand may use'),
  })
  .describe('A brand kit');

export type BrandKit = z.infer<typeof brandKitSchema>;
export type BrandKitInput = z.input<typeof brandKitSchema>;
