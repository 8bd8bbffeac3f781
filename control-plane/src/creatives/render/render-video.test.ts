import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderVideos, VIDEO_SECONDS } from './render-video.ts';
import { sampleProduct } from './sample-images.ts';

const brandKit = {
  name: 'Lumen Skincare',
  colors: { primary: '#1e1b4b', secondary: '#f59e0b', background: '#fffbeb', text: '#1c1917' },
  font: 'inter' as const,
};
const copy = {
  headline: 'Glow that lasts all day',
  subline: 'Vitamin C serum, dermatologist tested.',
  callToAction: 'Shop now',
};

function hasFfmpeg(): boolean {
  try {
    execFileSync('ffprobe', ['-version'], { stdio: 'ignore' });
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const ffmpeg = hasFfmpeg();
const RENDERS_VIDEO = 'renders a 6-second H.264 MP4 in each video placement';

describe('renderVideos', () => {
  // CI installs Debian's ffmpeg (.ci/run); elsewhere the test's name says why it did not run.
  it.skipIf(!ffmpeg)(
    ffmpeg ? RENDERS_VIDEO : `${RENDERS_VIDEO} (skipped: ffmpeg or ffprobe is not installed)`,
    async () => {
      const videos = await renderVideos({
        brandKit,
        copy: { ...copy, productImage: await sampleProduct(400) },
        layout: 'product-spotlight',
      });
      expect(videos.map((v) => v.placement)).toEqual(['1080x1080', '1080x1920']);
      const dir = mkdtempSync(join(tmpdir(), 'tas-video-test-'));
      try {
        for (const video of videos) {
          const file = join(dir, `${video.placement}.mp4`);
          writeFileSync(file, video.bytes);
          const probe = JSON.parse(
            execFileSync(
              'ffprobe',
              [
                '-v',
                'error',
                '-show_entries',
                'format=duration:stream=width,height,codec_name,pix_fmt',
                '-of',
                'json',
                file,
              ],
              { encoding: 'utf8' },
            ),
          );
          expect(Number(probe.format.duration)).toBeCloseTo(6, 1);
          expect(probe.streams).toEqual([
            { width: video.width, height: video.height, codec_name: 'h264', pix_fmt: 'yuv420p' },
          ]);
          expect(`${video.width}x${video.height}`).toBe(video.placement);
          expect(video).toMatchObject({ contentType: 'video/mp4', durationSeconds: VIDEO_SECONDS });
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('says ffmpeg is missing, and how to install it, instead of crashing', async () => {
    const attempt = renderVideos({ brandKit, copy }, { ffmpegPath: '/nonexistent/ffmpeg' });
    await expect(attempt).rejects.toMatchObject({
      code: 'ffmpeg_unavailable',
      message: expect.stringContaining('apt-get install -y ffmpeg'),
    });
  });
});
