import { z } from 'zod';
import { brandKitSchema } from './brand-kit.ts';
import { creativeCopySchema } from './creative-copy.ts';
import { imageBytesSchema } from './image-input.ts';
import { LAYOUT_IDS } from './layouts.ts';
import { type RenderedCreative, type RenderOptions, renderPlacements } from './render-placements.ts';
import { imageFormatSchema, parseRenderInput, placementListSchema } from './render-request.ts';

/** An image edit: one master image (uploaded or generated) made into every placement. */
export const masterEditRequestSchema = z
  .object({
    master: imageBytesSchema.describe('The master image: PNG, JPEG or WebP'),
    brandKit: brandKitSchema,
    copy: creativeCopySchema.omit({ productImage: true }),
    layout: z.enum(LAYOUT_IDS).default('bold-split'),
    placements: placementListSchema,
    format: imageFormatSchema,
  })
  .describe('A master image recomposed to each placement with the copy');

export type MasterEditRequestInput = z.input<typeof masterEditRequestSchema>;

/**
 * The master recomposed, not stretched, for each placement: the layout decides where the image
 * goes for that shape (a side panel, a square tile, the whole canvas under a scrim), sharp crops
 * the master to exactly that slot around what it finds most interesting (its attention
 * strategy: skin, saturation, edges), and the copy goes in the safe area.
 */
export async function renderMasterEdits(
  input: MasterEditRequestInput,
  options: RenderOptions = {},
): Promise<RenderedCreative[]> {
  const request = parseRenderInput(masterEditRequestSchema, input);
  return renderPlacements(
    {
      brandKit: request.brandKit,
      copy: request.copy,
      layout: request.layout,
      placements: request.placements,
      format: request.format,
      image: { bytes: request.master, kind: 'photo' },
    },
    options,
  );
}
