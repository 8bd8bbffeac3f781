import type { LayoutId } from '../render/layouts.ts';
import { PLACEMENTS, type PlacementId, shapeOf } from '../render/placements.ts';
import { CreativeRenderError } from '../render/render-error.ts';
import { renderMasterEdits } from '../render/render-master.ts';
import type { AspectRatio } from './brand-prompt.ts';
import {
  CreativeProviderError,
  type CreativeProviderErrorCode,
  type CreativeProviderId,
  type GeneratedAsset,
  type GenerationRequest,
} from './creative-provider.ts';

/*
 * AI providers make one master image; TAS recomposes it into every placement (the layout's image
 * slot, cropped around what is interesting, the copy in the safe area), rather than paying for one
 * generation per size and trusting a model with the text.
 */

/** The renderer's refusals as a job records them: TAS's banned words count as moderation. */
const CODES: Record<CreativeRenderError['code'], CreativeProviderErrorCode> = {
  invalid_request: 'invalid_request',
  banned_words: 'moderation_refused',
  unsupported_image: 'invalid_request',
  ffmpeg_unavailable: 'not_configured',
  ffmpeg_failed: 'generation_failed',
  cancelled: 'cancelled',
};

export function providerErrorOfRender(error: unknown, provider: CreativeProviderId): unknown {
  if (!(error instanceof CreativeRenderError)) return error;
  return new CreativeProviderError(CODES[error.code], error.message, { provider, cause: error });
}

/**
 * The master's shape for the placements wanted: the shape most of them share (wide banners and
 * strips take a landscape master, stories and skyscrapers a portrait one), landscape on a tie.
 */
export function masterAspectOf(placements: readonly string[]): Extract<AspectRatio, '1:1' | '3:2' | '2:3'> {
  const votes = { '3:2': 0, '2:3': 0, '1:1': 0 };
  for (const id of placements) {
    const known = PLACEMENTS[id as PlacementId];
    if (!known) continue;
    const shape = shapeOf(known.width, known.height);
    votes[shape === 'tall' ? '2:3' : shape === 'square' ? '1:1' : '3:2']++;
  }
  if (votes['2:3'] > votes['3:2'] && votes['2:3'] > votes['1:1']) return '2:3';
  if (votes['1:1'] > votes['3:2'] && votes['1:1'] > votes['2:3']) return '1:1';
  return '3:2';
}

/**
 * AI video models make 16:9 or 9:16 clips; of TAS's video placements only the Story (1080x1920)
 * has one of those shapes, so only it is offered (the square is the templates' job).
 */
export const AI_VIDEO_PLACEMENTS = { '1080x1920': '9:16' } as const satisfies Record<string, AspectRatio>;

export function videoAspectOf(request: GenerationRequest, provider: CreativeProviderId): '9:16' {
  const unsupported = request.placements.filter((p) => !(p in AI_VIDEO_PLACEMENTS));
  if (request.placements.length !== 1 || unsupported.length > 0) {
    throw new CreativeProviderError(
      'invalid_request',
      `${provider} makes one video a job, in ${Object.keys(AI_VIDEO_PLACEMENTS).join(' or ')}; asked: ${request.placements.join(', ')}`,
      { provider },
    );
  }
  return AI_VIDEO_PLACEMENTS['1080x1920'];
}

/** Refuses a format the kind cannot have (a video as PNG, an image as MP4). */
export function checkFormat(request: GenerationRequest, provider: CreativeProviderId): void {
  if ((request.kind === 'video') !== (request.format === 'mp4')) {
    throw new CreativeProviderError(
      'invalid_request',
      `a ${request.kind} cannot be made as ${request.format}`,
      {
        provider,
      },
    );
  }
}

/** The master as an asset of its own (placement null), then each placement recomposed from it. */
export async function assetsFromMaster(
  request: GenerationRequest,
  master: { bytes: Uint8Array; contentType: string; width: number; height: number },
  made: { provider: CreativeProviderId; model: string; prompt: string },
  progress: { from: number },
): Promise<GeneratedAsset[]> {
  const { productImage: _ignored, ...copy } = request.copy;
  try {
    const edits = await renderMasterEdits(
      {
        master: master.bytes,
        brandKit: request.brandKit,
        copy,
        layout: request.layout as LayoutId | undefined,
        placements: request.placements as PlacementId[],
        format: request.format === 'webp' ? 'webp' : 'png',
      },
      {
        signal: request.signal,
        onProgress: (done, total) =>
          request.onProgress?.(progress.from + ((1 - progress.from) * done) / total),
      },
    );
    return [
      { ...master, placement: null, ...made },
      ...edits.map((edit) => ({
        bytes: edit.bytes,
        contentType: edit.contentType,
        width: edit.width,
        height: edit.height,
        placement: edit.placement,
        ...made,
      })),
    ];
  } catch (error) {
    throw providerErrorOfRender(error, made.provider);
  }
}
