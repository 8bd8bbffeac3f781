import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { brandKitSchema } from './brand-kit.ts';
import { creativeCopySchema } from './creative-copy.ts';
import type { SceneCopy } from './layout.ts';
import { LAYOUT_IDS, type LayoutId } from './layouts.ts';
import { placement } from './placements.ts';
import { CreativeRenderError } from './render-error.ts';
import { type RenderOptions, renderPlacements } from './render-placements.ts';
import { parseRenderInput } from './render-request.ts';

export const VIDEO_PLACEMENTS = ['1080x1080', '1080x1920'] as const;
export type VideoPlacementId = (typeof VIDEO_PLACEMENTS)[number];

/** A short slideshow of a creative: the headline, then the subline and image, then the call to action. */
export const videoRequestSchema = z
  .object({
    brandKit: brandKitSchema,
    copy: creativeCopySchema,
    layout: z.enum(LAYOUT_IDS).default('centered-hero'),
    placements: z
      .array(z.enum(VIDEO_PLACEMENTS))
      .min(1)
      .default([...VIDEO_PLACEMENTS])
      .transform((ids) => [...new Set(ids)]),
  })
  .describe('A 6-second MP4 slideshow of a creative');

export type VideoRequestInput = z.input<typeof videoRequestSchema>;

export interface RenderedVideo {
  placement: VideoPlacementId;
  width: number;
  height: number;
  contentType: 'video/mp4';
  bytes: Buffer;
  /** SHA-256 of the bytes, hex. */
  checksum: string;
  durationSeconds: number;
  layout: LayoutId;
  renderMs: number;
}

export interface VideoOptions extends RenderOptions {
  /** The ffmpeg binary; `ffmpeg` on the PATH by default. */
  ffmpegPath?: string;
}

export const FFMPEG_INSTALL_HINT =
  'install it with your system packages (Debian/Ubuntu: apt-get install -y ffmpeg; macOS: brew install ffmpeg); images render without it';

// 25 fps: three slides of 58 frames, joined by two 12-frame crossfades, make 150 frames, 6.0 s.
const FPS = 25;
const SLIDE_FRAMES = 58;
const FADE_FRAMES = 12;
const TOTAL_FRAMES = 3 * SLIDE_FRAMES - 2 * FADE_FRAMES;
export const VIDEO_SECONDS = TOTAL_FRAMES / FPS;

/**
 * Renders a 6-second MP4 (H.264, yuv420p, no sound) per placement: three frames from the
 * template, each drifting slowly and crossfading into the next (`xfade`).
 * ffmpeg comes from the system (Debian's package), not from npm: ffmpeg-static downloads a binary
 * at install time, which fails offline. Without it this throws `ffmpeg_unavailable`.
 */
export async function renderVideos(
  input: VideoRequestInput,
  options: VideoOptions = {},
): Promise<RenderedVideo[]> {
  const request = parseRenderInput(videoRequestSchema, input);
  const ffmpeg = options.ffmpegPath ?? 'ffmpeg';
  await checkFfmpeg(ffmpeg);

  const { productImage, ...copy } = request.copy;
  const frames: SceneCopy[] = [
    { headline: copy.headline, badge: copy.badge },
    { headline: copy.subline ?? copy.headline },
    { headline: copy.headline, callToAction: copy.callToAction, badge: copy.badge },
  ];
  const stills = [];
  for (const frame of frames) {
    stills.push(
      await renderPlacements(
        {
          brandKit: request.brandKit,
          copy: frame,
          layout: request.layout,
          placements: request.placements,
          format: 'png',
          image: productImage && { bytes: productImage, kind: 'product' },
        },
        { signal: options.signal, fonts: options.fonts },
      ),
    );
  }

  const dir = await mkdtemp(join(tmpdir(), 'tas-video-'));
  try {
    const videos: RenderedVideo[] = [];
    for (const [i, id] of request.placements.entries()) {
      if (options.signal?.aborted)
        throw new CreativeRenderError('cancelled', 'the render was cancelled', {
          cause: options.signal.reason,
        });
      const started = performance.now();
      const { width, height } = placement(id);
      const inputs: string[] = [];
      for (const [n, still] of stills.entries()) {
        const file = join(dir, `${id}-${n}.png`);
        await writeFile(file, still[i]!.bytes);
        inputs.push('-i', file);
      }
      const output = join(dir, `${id}.mp4`);
      await run(
        ffmpeg,
        [
          '-v',
          'error',
          '-y',
          ...inputs,
          '-filter_complex',
          slideshowFilter(width, height),
          '-map',
          '[v]',
          '-an',
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-crf',
          '22',
          '-r',
          String(FPS),
          '-frames:v',
          String(TOTAL_FRAMES),
          '-movflags',
          '+faststart',
          output,
        ],
        options.signal,
      );
      const bytes = await readFile(output);
      videos.push({
        placement: id,
        width,
        height,
        contentType: 'video/mp4',
        bytes,
        checksum: createHash('sha256').update(bytes).digest('hex'),
        durationSeconds: VIDEO_SECONDS,
        layout: request.layout,
        renderMs: Math.round(performance.now() - started),
      });
      options.onProgress?.(i + 1, request.placements.length);
    }
    return videos;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Each still becomes a slide drifting one pixel a frame (down-right, then left, then up): the
 * still is enlarged once by the drift's length and a moving crop reads it, which is steady (whole
 * pixels, no resampling per frame) and about three times cheaper than `zoompan`. The drift is
 * under the safe areas' margins, so no text leaves the frame. Slides crossfade; the chain ends in
 * yuv420p, which every player decodes.
 */
export function slideshowFilter(width: number, height: number): string {
  const fade = FADE_FRAMES / FPS;
  const slide = SLIDE_FRAMES / FPS;
  const drift = SLIDE_FRAMES - 1;
  const even = (n: number) => Math.round(n / 2) * 2;
  const scaledWidth = even(width + SLIDE_FRAMES);
  const scaledHeight = even((height * scaledWidth) / width);
  const midX = Math.floor((scaledWidth - width) / 2);
  const midY = Math.floor((scaledHeight - height) / 2);
  const pans = [
    ['n', 'n'],
    [`${drift}-n`, String(midY)],
    [String(midX), `${drift}-n`],
  ];
  const slides = pans.map(
    ([x, y], n) =>
      `[${n}:v]scale=${scaledWidth}:${scaledHeight},loop=loop=-1:size=1,trim=end_frame=${SLIDE_FRAMES},setpts=N/${FPS}/TB,` +
      `crop=${width}:${height}:x='${x}':y='${y}',setsar=1[s${n}]`,
  );
  return [
    ...slides,
    `[s0][s1]xfade=transition=fade:duration=${fade}:offset=${(slide - fade).toFixed(2)}[x1]`,
    `[x1][s2]xfade=transition=smoothleft:duration=${fade}:offset=${(2 * (slide - fade)).toFixed(2)},format=yuv420p[v]`,
  ].join(';');
}

async function checkFfmpeg(ffmpeg: string): Promise<void> {
  try {
    await run(ffmpeg, ['-version']);
  } catch (error) {
    if (error instanceof CreativeRenderError && error.code === 'ffmpeg_unavailable') throw error;
    throw new CreativeRenderError('ffmpeg_unavailable', `${ffmpeg} does not run: ${FFMPEG_INSTALL_HINT}`, {
      cause: error,
    });
  }
}

function run(command: string, args: string[], signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { signal, timeout: 120_000, maxBuffer: 8 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(
            new CreativeRenderError(
              'ffmpeg_unavailable',
              `${command} is not installed: ${FFMPEG_INSTALL_HINT}`,
              { cause: error },
            ),
          );
        }
        if (signal?.aborted)
          return reject(new CreativeRenderError('cancelled', 'the render was cancelled', { cause: error }));
        const tail = String(stderr).trim().split('\n').slice(-5).join('\n');
        reject(
          new CreativeRenderError('ffmpeg_failed', `ffmpeg failed: ${tail || error.message}`, {
            cause: error,
          }),
        );
      },
    );
  });
}
