import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GeminiFake, startGeminiFake } from '../../../test/fakes/gemini-fake.ts';
import type { BrandKit } from '../render/brand-kit.ts';
import { CreativeProviderError, type GenerationRequest } from './creative-provider.ts';
import { geminiProvider } from './gemini.ts';

const brandKit: BrandKit = {
  name: 'Lumen Travel',
  colors: { primary: '#0f766e', secondary: '#f97316', background: '#f8fafc', text: '#0f172a' },
  font: 'inter',
  bannedWords: ['cheap'],
};
const image = (over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  kind: 'image',
  brandKit,
  copy: { headline: 'Sunsets you will remember', callToAction: 'Book now' },
  prompt: 'a lake at sunset',
  placements: ['160x600', '1080x1920'],
  format: 'webp',
  ...over,
});
const video = (over: Partial<GenerationRequest> = {}) =>
  image({ kind: 'video', format: 'mp4', placements: ['1080x1920'], ...over });
const fastPoll = { initialMs: 5, maxMs: 20, factor: 2, timeoutMs: 5_000 };

async function failure(promise: Promise<unknown>): Promise<CreativeProviderError> {
  const error = await promise.then(
    () => expect.unreachable('the generation should fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CreativeProviderError);
  return error as CreativeProviderError;
}

describe('geminiProvider against the Gemini fake, through @google/genai', () => {
  let fake: GeminiFake;
  const provider = () => geminiProvider({ apiKey: fake.apiKey, baseUrl: fake.url, poll: fastPoll });
  beforeAll(async () => {
    fake = await startGeminiFake();
  });
  afterAll(() => fake.close());

  it('asks an image model by generateContent and recomposes its inline image into each placement', async () => {
    fake.requests.length = 0;
    const assets = await provider().generate(image());
    expect(assets.map((a) => [a.placement, a.width, a.height, a.contentType, a.model])).toEqual([
      [null, 832, 1248, 'image/png', 'gemini-2.5-flash-image'],
      ['160x600', 160, 600, 'image/webp', 'gemini-2.5-flash-image'],
      ['1080x1920', 1080, 1920, 'image/webp', 'gemini-2.5-flash-image'],
    ]);
    for (const asset of assets) {
      const meta = await sharp(asset.bytes).metadata();
      expect([meta.width, meta.height]).toEqual([asset.width, asset.height]);
    }
    const [call] = fake.requests;
    expect(call!.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    expect(call!.body).toMatchObject({
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '2:3' } },
    });
    expect(JSON.stringify(call!.body.contents)).toContain('Lumen Travel');
  });

  it('estimates the cost from the price table', () => {
    expect(provider().estimateCost(image())).toMatchObject({ amountMinor: 4 });
    expect(provider().estimateCost(video())).toMatchObject({ amountMinor: 120 });
  });

  it('throws rate_limited with Google’s RetryInfo delay on a 429, and a second call succeeds', async () => {
    fake.failNext(1, 429, 21);
    const error = await failure(provider().generate(image()));
    expect([error.code, error.retryable, error.detail.retryAfterSeconds]).toEqual(['rate_limited', true, 21]);
    expect(await provider().generate(image())).toHaveLength(3);
  });

  it('throws unavailable on a 500, a 503, or when nobody answers', async () => {
    fake.failNext(1, 500);
    expect((await failure(provider().generate(image()))).code).toBe('unavailable');
    fake.failNext(1, 503);
    expect((await failure(provider().generate(image()))).code).toBe('unavailable');
    const nobody = geminiProvider({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' });
    expect((await failure(nobody.generate(image()))).code).toBe('unavailable');
  });

  it('refuses with moderation_refused: a blocked prompt, a withheld image, filtered video, a banned word', async () => {
    fake.block('prompt');
    expect(await failure(provider().generate(image()))).toMatchObject({
      code: 'moderation_refused',
      message: expect.stringContaining('PROHIBITED_CONTENT'),
    });
    fake.block('image');
    expect((await failure(provider().generate(image()))).message).toContain('IMAGE_SAFETY');
    fake.block(null);
    fake.videos('filtered');
    expect((await failure(provider().generate(video()))).code).toBe('moderation_refused');
    fake.videos(null);
    fake.requests.length = 0;
    expect((await failure(provider().generate(image({ prompt: 'Cheap!' })))).code).toBe('moderation_refused');
    expect(fake.requests).toEqual([]);
  });

  it('throws invalid_key for Google’s API_KEY_INVALID', async () => {
    const bad = geminiProvider({ apiKey: 'AIza-wrong', baseUrl: fake.url });
    expect(await failure(bad.generate(image()))).toMatchObject({ code: 'invalid_key', retryable: false });
  });

  it('makes a video: predictLongRunning, poll the operation, download the file', async () => {
    fake.requests.length = 0;
    const progress: number[] = [];
    const [asset, ...rest] = await provider().generate(video({ onProgress: (f) => progress.push(f) }));
    expect(rest).toEqual([]);
    expect(asset).toMatchObject({
      contentType: 'video/mp4',
      width: 720,
      height: 1280,
      placement: '1080x1920',
      durationSeconds: 8,
      provider: 'gemini',
      model: 'veo-3.0-fast-generate-001',
    });
    expect(Buffer.from(asset!.bytes).subarray(4, 8).toString()).toBe('ftyp');
    expect(fake.requests.map((r) => r.path.replace(/[0-9a-f]{12}/, 'ID'))).toEqual([
      '/v1beta/models/veo-3.0-fast-generate-001:predictLongRunning',
      '/v1beta/models/veo-3.0-fast-generate-001/operations/ID',
      '/v1beta/models/veo-3.0-fast-generate-001/operations/ID',
      '/v1beta/files/ID:download',
    ]);
    expect(fake.requests[0]!.body).toMatchObject({
      parameters: { aspectRatio: '9:16', durationSeconds: 8, resolution: '720p', sampleCount: 1 },
    });
    expect(progress.at(-1)).toBe(1);
  });

  it('throws generation_failed when the video operation fails midway', async () => {
    fake.videos('midway');
    const error = await failure(provider().generate(video()));
    fake.videos(null);
    expect([error.code, error.message]).toEqual([
      'generation_failed',
      expect.stringContaining('internal error'),
    ]);
  });

  it('stops polling and throws cancelled when the signal aborts', async () => {
    const controller = new AbortController();
    const slow = geminiProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.url,
      poll: { initialMs: 60_000, maxMs: 60_000, factor: 1, timeoutMs: 600_000 },
    });
    const started = Date.now();
    const error = await failure(
      slow.generate(
        video({
          signal: controller.signal,
          onProgress: () => setTimeout(() => controller.abort(new Error('cancelled')), 50),
        }),
      ),
    );
    expect(error.code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
