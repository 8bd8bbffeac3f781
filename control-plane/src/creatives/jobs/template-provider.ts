import {
  type CreativeProvider,
  CreativeProviderError,
  type GeneratedAsset,
  type GenerationRequest,
} from '../providers/creative-provider.ts';
import { renderCreatives } from '../render/render-creatives.ts';
import { CreativeRenderError } from '../render/render-error.ts';
import { renderVideos } from '../render/render-video.ts';

/*
 * The offline templates as a CreativeProvider, for jobs. providers/templates.ts (the providers'
 * engineer's) is the one to use once it lands; until then jobs need a default that works offline.
 */

function renderFailure(error: unknown): never {
  if (error instanceof CreativeRenderError) {
    const code =
      error.code === 'cancelled'
        ? 'cancelled'
        : error.code === 'banned_words'
          ? 'moderation_refused'
          : error.code === 'invalid_request' || error.code === 'unsupported_image'
            ? 'invalid_request'
            : 'generation_failed';
    throw new CreativeProviderError(code, error.message, { provider: 'templates', cause: error });
  }
  throw error;
}

export const templateProvider: CreativeProvider = {
  id: 'templates',
  supports: { image: true, video: true },
  estimateCost: () => null,
  async generate(request: GenerationRequest): Promise<GeneratedAsset[]> {
    const options = {
      ...(request.signal ? { signal: request.signal } : {}),
      onProgress: (done: number, total: number) => request.onProgress?.(done / total),
    };
    try {
      if (request.kind === 'video') {
        const videos = await renderVideos(
          {
            brandKit: request.brandKit,
            copy: request.copy,
            layout: request.layout as never,
            placements: request.placements as never,
          },
          options,
        );
        return videos.map((v) => ({
          bytes: v.bytes,
          contentType: v.contentType,
          width: v.width,
          height: v.height,
          placement: v.placement,
          durationSeconds: v.durationSeconds,
          provider: 'templates',
          model: `template:${v.layout}`,
          prompt: null,
        }));
      }
      const images = await renderCreatives(
        {
          brandKit: request.brandKit,
          copy: request.copy,
          layout: request.layout as never,
          placements: request.placements as never,
          format: request.format === 'webp' ? 'webp' : 'png',
        },
        options,
      );
      return images.map((i) => ({
        bytes: i.bytes,
        contentType: i.contentType,
        width: i.width,
        height: i.height,
        placement: i.placement,
        provider: 'templates',
        model: `template:${i.layout}`,
        prompt: null,
      }));
    } catch (error) {
      return renderFailure(error);
    }
  },
};
