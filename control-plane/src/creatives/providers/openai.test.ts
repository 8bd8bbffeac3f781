import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAiFake, startOpenAiFake } from '../../../test/fakes/openai-fake.ts';
import type { BrandKit } from '../render/brand-kit.ts';
import { CreativeProviderError, type GenerationRequest } from './creative-provider.ts';
import { openAiProvider } from './openai.ts';

const brandKit: BrandKit = {
  name: 'Lumen Travel',
  colors: { primary: '#0f766e', secondary: '#f97316', background: '#f8fafc', text: '#0f172a' },
  font: 'poppins',
  tone: 'warm and calm',
  bannedWords: ['cheap'],
};
const image = (over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  kind: 'image',
  brandKit,
  copy: { headline: 'Sunsets you will remember', callToAction: 'Book now' },
  prompt: 'a lake at sunset from a wooden deck',
  placements: ['300x250', '728x90'],
  format: 'png',
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

describe('openAiProvider against the OpenAI fake, through the official SDK', () => {
  let fake: OpenAiFake;
  const provider = () => openAiProvider({ apiKey: fake.apiKey, baseURL: fake.url, poll: fastPoll });
  beforeAll(async () => {
    fake = await startOpenAiFake();
  });
  afterAll(() => fake.close());

  it('moderates the brand prompt, makes one master and recomposes it into each placement', async () => {
    fake.requests.length = 0;
    const progress: number[] = [];
    const assets = await provider().generate(image({ onProgress: (f) => progress.push(f) }));
    expect(assets.map((a) => [a.placement, a.width, a.height, a.provider, a.model])).toEqual([
      [null, 1536, 1024, 'openai', 'gpt-image-1'],
      ['300x250', 300, 250, 'openai', 'gpt-image-1'],
      ['728x90', 728, 90, 'openai', 'gpt-image-1'],
    ]);
    for (const asset of assets) {
      const meta = await sharp(asset.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', asset.width, asset.height]);
      expect(asset.prompt).toContain('Lumen Travel');
    }
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/moderations',
      'POST /v1/images/generations',
      'POST /v1/moderations',
    ]);
    const generation = fake.requests[1]!.body;
    expect(generation).toMatchObject({ model: 'gpt-image-1', size: '1536x1024', quality: 'medium', n: 1 });
    expect(generation.prompt).toContain('a lake at sunset from a wooden deck');
    expect(generation.prompt).toContain('No text');
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('estimates the cost from the price table', () => {
    expect(provider().estimateCost(image())).toMatchObject({ currency: 'USD', amountMinor: 7 });
    expect(provider().estimateCost(image({ placements: ['1080x1080'] }))).toMatchObject({ amountMinor: 5 });
    expect(provider().estimateCost(video())).toMatchObject({ amountMinor: 80 });
  });

  it('throws rate_limited with Retry-After on a 429, and a second call succeeds', async () => {
    fake.failNext(1, 429, 12);
    const error = await failure(provider().generate(image()));
    expect([error.code, error.retryable, error.detail.retryAfterSeconds]).toEqual(['rate_limited', true, 12]);
    expect(await provider().generate(image())).toHaveLength(3);
  });

  it('throws unavailable on a 500 or when nobody answers', async () => {
    fake.failNext(1, 500);
    expect((await failure(provider().generate(image()))).code).toBe('unavailable');
    const nobody = openAiProvider({ apiKey: 'sk-x', baseURL: 'http://127.0.0.1:1/v1' });
    expect((await failure(nobody.generate(image()))).code).toBe('unavailable');
  });

  it('refuses with moderation_refused: a flagged prompt, a flagged image, a blocked prompt, a banned word', async () => {
    fake.requests.length = 0;
    fake.flagModeration('text');
    const prompt = await failure(provider().generate(image()));
    expect([prompt.code, prompt.message]).toEqual([
      'moderation_refused',
      expect.stringContaining('violence'),
    ]);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/moderations']);

    fake.flagModeration('image');
    expect((await failure(provider().generate(image()))).message).toContain('generated image');
    fake.flagModeration(null);

    fake.blockImagePrompts();
    expect((await failure(provider().generate(image()))).code).toBe('moderation_refused');
    fake.blockImagePrompts(false);

    fake.requests.length = 0;
    const banned = await failure(provider().generate(image({ prompt: 'cheap flights' })));
    expect([banned.code, fake.requests]).toEqual(['moderation_refused', []]);
  });

  it('throws invalid_key for a bad key, not retryable', async () => {
    const bad = openAiProvider({ apiKey: 'sk-wrong', baseURL: fake.url });
    const error = await failure(bad.generate(image()));
    expect([error.code, error.retryable]).toEqual(['invalid_key', false]);
  });

  it('makes a video: create (multipart), poll, download', async () => {
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
      provider: 'openai',
      model: 'sora-2',
    });
    expect(Buffer.from(asset!.bytes).subarray(4, 8).toString()).toBe('ftyp');
    const create = fake.requests.find((r) => r.path === '/v1/videos')!;
    expect(create.contentType).toMatch(/^multipart\/form-data/);
    expect(create.body).toMatchObject({ model: 'sora-2', seconds: '8', size: '720x1280' });
    expect(fake.requests.at(-1)!.path).toMatch(/\/content$/);
    expect(progress.at(-1)).toBe(1);
  });

  it('refuses a video placement no OpenAI size fits', async () => {
    expect((await failure(provider().generate(video({ placements: ['1080x1080'] })))).code).toBe(
      'invalid_request',
    );
  });

  it('throws generation_failed when the video job fails midway', async () => {
    fake.failVideosMidway();
    const error = await failure(provider().generate(video()));
    fake.failVideosMidway(false);
    expect([error.code, error.retryable]).toEqual(['generation_failed', false]);
    expect(error.message).toContain('Video generation failed');
  });

  it('stops polling and throws cancelled when the signal aborts', async () => {
    const controller = new AbortController();
    const slow = openAiProvider({
      apiKey: fake.apiKey,
      baseURL: fake.url,
      poll: { initialMs: 60_000, maxMs: 60_000, factor: 1, timeoutMs: 600_000 },
    });
    const started = Date.now();
    const pending = slow.generate(
      video({
        signal: controller.signal,
        // The job is running and the provider waits a minute before its next poll: cancel then.
        onProgress: () => setTimeout(() => controller.abort(new Error('the advertiser cancelled')), 50),
      }),
    );
    const error = await failure(pending);
    expect(error.code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
