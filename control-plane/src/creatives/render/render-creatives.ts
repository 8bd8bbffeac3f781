import { type RenderedCreative, type RenderOptions, renderPlacements } from './render-placements.ts';
import { parseRenderInput, type RenderRequestInput, renderRequestSchema } from './render-request.ts';

/**
 * Renders a brand kit and a copy in one template to each placement asked, offline (bundled fonts,
 * no network). Input is validated here, so a generation job can pass its payload as it is;
 * refusals are `CreativeRenderError`s with a code.
 */
export async function renderCreatives(
  input: RenderRequestInput,
  options: RenderOptions = {},
): Promise<RenderedCreative[]> {
  const request = parseRenderInput(renderRequestSchema, input);
  const { productImage, ...copy } = request.copy;
  return renderPlacements(
    {
      brandKit: request.brandKit,
      copy,
      layout: request.layout,
      placements: request.placements,
      format: request.format,
      image: productImage && { bytes: productImage, kind: 'product' },
    },
    options,
  );
}
