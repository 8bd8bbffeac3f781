import { z } from 'zod';
import { imageBytesSchema } from './image-input.ts';

/**
 * What a creative says. Lengths are those of ad platforms' own limits, generous on purpose: text
 * too long for a small placement is fitted (smaller type, more lines, then an ellipsis), not
 * refused.
 */
export const creativeCopySchema = z
  .object({
    headline: z.string().trim().min(1).max(200),
    subline: z.string().trim().min(1).max(300).optional(),
    callToAction: z.string().trim().min(1).max(40).describe('The button, e.g. "Shop now"'),
    badge: z.string().trim().min(1).max(24).optional().describe('A short flag, e.g. "New" or "-20%"'),
    productImage: imageBytesSchema.optional().describe('PNG (ideally transparent), JPEG or WebP'),
  })
  .describe("A creative's copy and product image");

export type CreativeCopy = z.infer<typeof creativeCopySchema>;
