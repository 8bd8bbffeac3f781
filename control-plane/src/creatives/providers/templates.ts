import type { LayoutId } from '../render/layouts.ts';
import type { PlacementId } from '../render/placements.ts';
import { renderCreatives } from '../render/render-creatives.ts';
import { renderVideos, type VideoOptions, type VideoPlacementId } from '../render/render-video.ts';
import type { CreativeProvider, GeneratedAsset, GenerationRequest } from './creative-provider.ts';
import { checkFormat, providerErrorOfRender } from './recompose.ts';

/**
 * The default provider, offline and free: the brand kit and copy rendered in a template
 * (satori + resvg + sharp), and videos as a slideshow by the system's ffmpeg.
 */
export function templatesProvider(options: Pick<VideoOptions, 'ffmpegPath'> = {}): CreativeProvider {
  return {
    id: 'templates',
    supports: { image: true, video: true },
    estimateCost: () => null,
    async generate(request: GenerationRequest): Promise<GeneratedAsset[]> {
      const progress = (done: number, total: number) => request.onProgress?.(done / total);
      // The renderer validates placements and layout (and everything else) with its schemas.
      const common = {
        brandKit: request.brandKit,
        copy: request.copy,
        layout: request.layout as LayoutId | undefined,
      };
      try {
        checkFormat(request, 'templates');
        if (request.kind === 'video') {
          const videos = await renderVideos(
            { ...common, placements: request.placements as VideoPlacementId[] },
            { signal: request.signal, onProgress: progress, ...options },
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
        const format = request.format === 'webp' ? 'webp' : 'png';
        const images = await renderCreatives(
          { ...common, placements: request.placements as PlacementId[], format },
          { signal: request.signal, onProgress: progress },
        );
        return images.map((image) => ({
          bytes: image.bytes,
          contentType: image.contentType,
          width: image.width,
          height: image.height,
          placement: image.placement,
          provider: 'templates',
          model: `template:${image.layout}`,
          prompt: null,
        }));
      } catch (error) {
        throw providerErrorOfRender(error, 'templates');
      }
    },
  };
}
