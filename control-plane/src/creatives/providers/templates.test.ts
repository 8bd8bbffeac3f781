import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { BrandKit } from '../render/brand-kit.ts';
import { CreativeProviderError, type GenerationRequest } from './creative-provider.ts';
import { templatesProvider } from './templates.ts';

const brandKit: BrandKit = {
  name: 'Lumen Travel',
  colors: { primary: '#0f766e', secondary: '#f97316', background: '#f8fafc', text: '#0f172a' },
  font: 'poppins',
  bannedWords: ['cheap'],
};
const request = (over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  kind: 'image',
  brandKit,
  copy: { headline: 'Sunsets you will remember', callToAction: 'Book now' },
  placements: ['300x250', '320x50'],
  format: 'png',
  ...over,
});

describe('templatesProvider', () => {
  const provider = templatesProvider();

  it('is free and renders each placement at its size, with progress', async () => {
    expect(provider.estimateCost(request())).toBeNull();
    const progress: number[] = [];
    const assets = await provider.generate(request({ onProgress: (f) => progress.push(f) }));
    expect(assets.map((a) => [a.placement, a.width, a.height, a.provider, a.prompt])).toEqual([
      ['300x250', 300, 250, 'templates', null],
      ['320x50', 320, 50, 'templates', null],
    ]);
    for (const asset of assets) {
      const meta = await sharp(asset.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', asset.width, asset.height]);
    }
    expect(assets[0]!.model).toBe('template:bold-split');
    expect(progress).toEqual([0.5, 1]);
  });

  it('maps the renderer’s refusals to provider codes', async () => {
    const refused = (over: Partial<GenerationRequest>) =>
      provider.generate(request(over)).then(
        () => expect.unreachable(),
        (error: unknown) => {
          expect(error).toBeInstanceOf(CreativeProviderError);
          return (error as CreativeProviderError).code;
        },
      );
    expect(await refused({ copy: { headline: 'Cheap sunsets', callToAction: 'Go' } })).toBe(
      'moderation_refused',
    );
    expect(await refused({ placements: ['999x999'] })).toBe('invalid_request');
    expect(await refused({ format: 'mp4' })).toBe('invalid_request');
    expect(await refused({ signal: AbortSignal.abort() })).toBe('cancelled');
    expect(await refused({ kind: 'video', format: 'png' })).toBe('invalid_request');
  });

  it('says a video needs ffmpeg when there is none', async () => {
    const without = templatesProvider({ ffmpegPath: '/nonexistent/ffmpeg' });
    await expect(
      without.generate(request({ kind: 'video', format: 'mp4', placements: ['1080x1080'] })),
    ).rejects.toMatchObject({ code: 'not_configured', message: expect.stringContaining('apt-get install') });
  });
});
