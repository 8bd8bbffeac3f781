import { createHash } from 'node:crypto';
import { findBannedWords } from './banned-words.ts';
import type { Box } from './box.ts';
import type { BrandKit } from './brand-kit.ts';
import { type FontSet, loadFonts } from './fonts.ts';
import { type ImageSource, openImage } from './image-input.ts';
import type { SceneCopy, SceneImage } from './layout.ts';
import { LAYOUTS, type LayoutId } from './layouts.ts';
import { type PlacementId, placement } from './placements.ts';
import { CONTENT_TYPES, type ImageFormat, rasterise } from './rasterise.ts';
import { CreativeRenderError } from './render-error.ts';

/** One rendered placement, with what the asset library stores beside the bytes. */
export interface RenderedCreative {
  placement: PlacementId;
  name: string;
  width: number;
  height: number;
  format: ImageFormat;
  contentType: (typeof CONTENT_TYPES)[ImageFormat];
  bytes: Buffer;
  /** SHA-256 of the bytes, hex. */
  checksum: string;
  layout: LayoutId;
  /** Where the copy is (inside the placement's safe area): for previews that outline it. */
  textArea: Box;
  renderMs: number;
}

export interface RenderOptions {
  /** Aborting stops before the next placement (a cancelled generation job). */
  signal?: AbortSignal;
  /** Called after each placement, for a job's progress. */
  onProgress?: (done: number, total: number) => void;
  /** Fonts already loaded; loaded (once per process) when not given. */
  fonts?: FontSet;
}

/** A render already validated: what both templates and image edits come down to. */
export interface RenderJob {
  brandKit: BrandKit;
  copy: SceneCopy;
  layout: LayoutId;
  placements: PlacementId[];
  format: ImageFormat;
  image?: { bytes: Uint8Array; kind: SceneImage['kind'] };
}

/**
 * Renders each placement in turn (not in parallel: satori and resvg are CPU-bound, and a job
 * runner decides how many renders share the machine). Banned words are refused before any work.
 */
export async function renderPlacements(
  job: RenderJob,
  options: RenderOptions = {},
): Promise<RenderedCreative[]> {
  const { copy, brandKit } = job;
  const banned = findBannedWords(
    [copy.headline, copy.subline, copy.callToAction, copy.badge],
    brandKit.bannedWords,
  );
  if (banned.length > 0) {
    throw new CreativeRenderError(
      'banned_words',
      `the copy uses words the brand kit forbids: ${banned.join(', ')}`,
      { words: banned },
    );
  }
  const fonts = options.fonts ?? (await loadFonts());
  const image =
    job.image &&
    (await openImage(job.image.bytes, job.image.kind === 'photo' ? 'the master image' : 'the product image'));
  const logo = brandKit.logo && (await openImage(brandKit.logo, 'the logo'));
  const sceneImage = job.image && image ? sceneImageOf(job.image.kind, image) : undefined;
  const family = fonts.family(brandKit.font);
  const layout = LAYOUTS[job.layout];

  const rendered: RenderedCreative[] = [];
  for (const id of job.placements) {
    if (options.signal?.aborted)
      throw new CreativeRenderError('cancelled', 'the render was cancelled', {
        cause: options.signal.reason,
      });
    const started = performance.now();
    const target = placement(id);
    const { element, textArea } = await layout.compose({
      placement: target,
      brand: brandKit,
      copy,
      fonts,
      image: sceneImage,
      logo: logo ? (slot) => logo.size(slot, 'contain') : undefined,
    });
    const bytes = await rasterise(element, target, family.satoriFonts, job.format);
    rendered.push({
      placement: id,
      name: target.name,
      width: target.width,
      height: target.height,
      format: job.format,
      contentType: CONTENT_TYPES[job.format],
      bytes,
      checksum: createHash('sha256').update(bytes).digest('hex'),
      layout: job.layout,
      textArea,
      renderMs: Math.round((performance.now() - started) * 10) / 10,
    });
    options.onProgress?.(rendered.length, job.placements.length);
  }
  return rendered;
}

function sceneImageOf(kind: SceneImage['kind'], source: ImageSource): SceneImage {
  return { kind, prepare: (slot) => source.size(slot, kind === 'photo' ? 'cover' : 'contain') };
}
