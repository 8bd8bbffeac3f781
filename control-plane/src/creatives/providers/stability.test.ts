import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StabilityFake, startStabilityFake } from '../../../test/fakes/stability-fake.ts';
import type { BrandKit } from '../render/brand-kit.ts';
import { CreativeProviderError, type GenerationRequest } from './creative-provider.ts';
import { stabilityProvider } from './stability.ts';

const brandKit: BrandKit = {
  name: 'Lumen Travel',
  colors: { primary: '#0f766e', secondary: '#f97316', background: '#f8fafc', text: '#0f172a' },
  font: 'roboto-slab',
  bannedWords: ['cheap'],
};
const image = (over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  kind: 'image',
  brandKit,
  copy: { headline: 'Sunsets you will remember', callToAction: 'Book now' },
  prompt: 'a lake at sunset',
  placements: ['300x250'],
  format: 'png',
  ...over,
});

async function failure(promise: Promise<unknown>): Promise<CreativeProviderError> {
  const error = await promise.then(
    () => expect.unreachable('the generation should fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CreativeProviderError);
  return error as CreativeProviderError;
}

describe('stabilityProvider against the Stability fake, by fetch', () => {
  let fake: StabilityFake;
  const provider = () => stabilityProvider({ apiKey: fake.apiKey, apiBase: fake.url });
  beforeAll(async () => {
    fake = await startStabilityFake();
  });
  afterAll(() => fake.close());

  it('posts the brand prompt as multipart and recomposes the image into each placement', async () => {
    fake.requests.length = 0;
    const assets = await provider().generate(image({ placements: ['300x250', '320x50'] }));
    expect(assets.map((a) => [a.placement, a.width, a.height, a.model])).toEqual([
      [null, 1216, 832, 'stable-image-core'],
      ['300x250', 300, 250, 'stable-image-core'],
      ['320x50', 320, 50, 'stable-image-core'],
    ]);
    for (const asset of assets) {
      const meta = await sharp(asset.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', asset.width, asset.height]);
    }
    const [call] = fake.requests;
    expect(call).toMatchObject({
      path: '/v2beta/stable-image/generate/core',
      contentType: expect.stringMatching(/^multipart\/form-data; boundary=/),
      accept: 'image/*',
      fields: { aspect_ratio: '3:2', output_format: 'png' },
    });
    expect(call!.fields.prompt).toContain('Lumen Travel');
  });

  it('estimates the cost in credits, and makes no video', async () => {
    expect(provider().estimateCost(image())).toMatchObject({ amountMinor: 3 });
    expect(
      stabilityProvider({ apiKey: 'k', apiBase: fake.url, service: 'ultra' }).estimateCost(image()),
    ).toMatchObject({
      amountMinor: 8,
    });
    expect(provider().supports.video).toBe(false);
    expect((await failure(provider().generate(image({ kind: 'video', format: 'mp4' })))).code).toBe(
      'invalid_request',
    );
  });

  it('throws rate_limited with Retry-After (60 s when Stability sends none), and a second call succeeds', async () => {
    fake.failNext(1, 429, 3);
    const error = await failure(provider().generate(image()));
    expect([error.code, error.retryable, error.detail.retryAfterSeconds]).toEqual(['rate_limited', true, 3]);
    fake.failNext(1, 429, null);
    expect((await failure(provider().generate(image()))).detail.retryAfterSeconds).toBe(60);
    expect(await provider().generate(image())).toHaveLength(2);
  });

  it('throws unavailable on a 500 or when nobody answers', async () => {
    fake.failNext(1, 500);
    expect((await failure(provider().generate(image()))).code).toBe('unavailable');
    const nobody = stabilityProvider({ apiKey: 'k', apiBase: 'http://127.0.0.1:1' });
    expect((await failure(nobody.generate(image()))).code).toBe('unavailable');
  });

  it('refuses with moderation_refused: a 403 content_moderation, a filtered image, a banned word', async () => {
    fake.moderate('refuse');
    expect(await failure(provider().generate(image()))).toMatchObject({
      code: 'moderation_refused',
      message: expect.stringContaining('content moderation'),
    });
    fake.moderate('filter');
    expect((await failure(provider().generate(image()))).code).toBe('moderation_refused');
    fake.moderate(null);
    fake.requests.length = 0;
    expect((await failure(provider().generate(image({ prompt: 'cheap' })))).code).toBe('moderation_refused');
    expect(fake.requests).toEqual([]);
  });

  it('throws invalid_key for a bad key, and invalid_request saying payment required at 402', async () => {
    const bad = stabilityProvider({ apiKey: 'sk-wrong', apiBase: fake.url });
    expect(await failure(bad.generate(image()))).toMatchObject({ code: 'invalid_key', retryable: false });
    fake.outOfCredits();
    const broke = await failure(provider().generate(image()));
    fake.outOfCredits(false);
    expect([broke.code, broke.message]).toEqual([
      'invalid_request',
      expect.stringContaining('payment required'),
    ]);
  });

  it('throws cancelled when the signal aborts', async () => {
    expect((await failure(provider().generate(image({ signal: AbortSignal.abort() })))).code).toBe(
      'cancelled',
    );
    const controller = new AbortController();
    const pending = provider().generate(image({ signal: controller.signal }));
    controller.abort();
    expect((await failure(pending)).code).toBe('cancelled');
  });
});
