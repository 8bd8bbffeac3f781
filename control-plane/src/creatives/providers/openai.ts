import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { type AspectRatio, brandPrompt } from './brand-prompt.ts';
import {
  type CostEstimate,
  type CreativeProvider,
  CreativeProviderError,
  type GeneratedAsset,
  type GenerationRequest,
} from './creative-provider.ts';
import { cancelled, DEFAULT_POLL, type PollTiming, pollUntil, throwIfCancelled } from './poll.ts';
import { assetsFromMaster, checkFormat, masterAspectOf, videoAspectOf } from './recompose.ts';

/*
 * OpenAI through its official SDK (6.x: 7.x needs Node 22). Everything of OpenAI's wire format
 * stays in this file. The SDK's own retries are off: a generation job retries `rate_limited` and
 * `unavailable` with its own backoff, and a paid request must not be repeated behind its back.
 */

export type OpenAiProviderOptions = {
  apiKey: string;
  /** `https://api.openai.com/v1`, or a proxy or local fake. */
  baseURL: string;
  imageModel?: ImageModel;
  quality?: ImageQuality;
  videoModel?: VideoModel;
  videoSeconds?: '4' | '8' | '12';
  poll?: PollTiming;
};

type ImageModel = keyof typeof IMAGE_PRICES;
type ImageQuality = 'low' | 'medium' | 'high';
type VideoModel = keyof typeof VIDEO_PRICES_PER_SECOND;

/**
 * OpenAI's published prices (openai.com/api/pricing, as of 2025-10), in USD per image: GPT image
 * models by quality, for a square and for a 3:2 or 2:3 image. Check them when OpenAI changes them.
 */
const IMAGE_PRICES = {
  'gpt-image-1': { low: [0.011, 0.016], medium: [0.042, 0.063], high: [0.167, 0.25] },
  'gpt-image-1-mini': { low: [0.005, 0.006], medium: [0.011, 0.015], high: [0.036, 0.052] },
} as const satisfies Record<string, Record<ImageQuality, readonly [number, number]>>;

/** Sora, USD per second of video at 720x1280 (as of 2025-10). Moderation is free. */
const VIDEO_PRICES_PER_SECOND = { 'sora-2': 0.1, 'sora-2-pro': 0.3 } as const;

const IMAGE_SIZES = { '1:1': '1024x1024', '3:2': '1536x1024', '2:3': '1024x1536' } as const;
const VIDEO_SIZES = { '9:16': '720x1280' } as const satisfies Partial<Record<AspectRatio, string>>;

export function openAiProvider(options: OpenAiProviderOptions): CreativeProvider {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    maxRetries: 0,
    timeout: 180_000,
  });
  const imageModel = options.imageModel ?? 'gpt-image-1';
  const quality = options.quality ?? 'medium';
  const videoModel = options.videoModel ?? 'sora-2';
  const seconds = options.videoSeconds ?? '8';
  const timing = options.poll ?? DEFAULT_POLL;

  /** OpenAI's moderation on text or an image; free, and asked before anything is paid for. */
  async function moderate(input: string | { imagePng: Uint8Array }, signal?: AbortSignal): Promise<void> {
    const result = await client.moderations.create(
      {
        model: 'omni-moderation-latest',
        input:
          typeof input === 'string'
            ? input
            : [
                {
                  type: 'image_url',
                  image_url: {
                    url: `data:image/png;base64,${Buffer.from(input.imagePng).toString('base64')}`,
                  },
                },
              ],
      },
      { signal },
    );
    const flagged = result.results.find((r) => r.flagged);
    if (!flagged) return;
    const categories = Object.entries(flagged.categories)
      .filter(([, on]) => on)
      .map(([name]) => name);
    throw new CreativeProviderError(
      'moderation_refused',
      `OpenAI's moderation flagged the ${typeof input === 'string' ? 'prompt' : 'generated image'}: ${categories.join(', ') || 'flagged'}`,
      { provider: 'openai' },
    );
  }

  async function image(request: GenerationRequest): Promise<GeneratedAsset[]> {
    const aspectRatio = masterAspectOf(request.placements);
    const prompt = brandPrompt({ provider: 'openai', ...request, aspectRatio });
    const { signal } = request;
    await moderate(prompt, signal);
    request.onProgress?.(0.1);
    const size = IMAGE_SIZES[aspectRatio];
    const answer = await client.images.generate(
      { model: imageModel, prompt, size, quality, n: 1, output_format: 'png' },
      { signal },
    );
    const b64 = answer.data?.[0]?.b64_json;
    if (!b64)
      throw new CreativeProviderError('generation_failed', 'OpenAI answered no image', {
        provider: 'openai',
      });
    const bytes = Buffer.from(b64, 'base64');
    await moderate({ imagePng: bytes }, signal);
    request.onProgress?.(0.5);
    const [width, height] = size.split('x').map(Number) as [number, number];
    return assetsFromMaster(
      request,
      { bytes, contentType: 'image/png', width, height },
      { provider: 'openai', model: imageModel, prompt },
      { from: 0.5 },
    );
  }

  async function video(request: GenerationRequest): Promise<GeneratedAsset[]> {
    const aspectRatio = videoAspectOf(request, 'openai');
    const prompt = brandPrompt({ provider: 'openai', ...request, aspectRatio });
    const { signal } = request;
    await moderate(prompt, signal);
    const size = VIDEO_SIZES[aspectRatio];
    const created = await client.videos.create({ model: videoModel, prompt, seconds, size }, { signal });
    const done = await pollUntil(
      'openai',
      async () => {
        const job = await client.videos.retrieve(created.id, { signal });
        request.onProgress?.(0.05 + 0.85 * ((job.progress ?? 0) / 100));
        if (job.status === 'failed') {
          const why = job.error?.message ?? 'no reason given';
          const refused = /moderation|policy|safety/i.test(`${job.error?.code} ${why}`);
          throw new CreativeProviderError(
            refused ? 'moderation_refused' : 'generation_failed',
            `OpenAI's video job ${job.id} failed: ${why}`,
            { provider: 'openai' },
          );
        }
        return job.status === 'completed' ? job : undefined;
      },
      timing,
      signal,
    );
    const content = await client.videos.downloadContent(done.id, { variant: 'video' }, { signal });
    const bytes = new Uint8Array(await content.arrayBuffer());
    request.onProgress?.(1);
    const [width, height] = String(done.size).split('x').map(Number) as [number, number];
    return [
      {
        bytes,
        contentType: 'video/mp4',
        width,
        height,
        placement: request.placements[0]!,
        durationSeconds: Number(done.seconds),
        provider: 'openai',
        model: String(done.model),
        prompt,
      },
    ];
  }

  return {
    id: 'openai',
    supports: { image: true, video: true },
    estimateCost(request: GenerationRequest): CostEstimate {
      if (request.kind === 'video') {
        const perSecond = VIDEO_PRICES_PER_SECOND[videoModel];
        return {
          currency: 'USD',
          amountMinor: Math.ceil(perSecond * Number(seconds) * 100),
          basis: `${videoModel}, ${seconds} s at $${perSecond}/s (OpenAI prices of 2025-10)`,
        };
      }
      const aspect = masterAspectOf(request.placements);
      const price = IMAGE_PRICES[imageModel][quality][aspect === '1:1' ? 0 : 1];
      return {
        currency: 'USD',
        amountMinor: Math.ceil(price * 100),
        basis: `one ${imageModel} image, ${quality} quality, ${IMAGE_SIZES[aspect]}, at $${price}, recomposed to each placement for free (OpenAI prices of 2025-10)`,
      };
    },
    async generate(request: GenerationRequest): Promise<GeneratedAsset[]> {
      try {
        checkFormat(request, 'openai');
        throwIfCancelled('openai', request.signal);
        return request.kind === 'video' ? await video(request) : await image(request);
      } catch (error) {
        throw providerError(error, request.signal);
      }
    },
  };
}

/** OpenAI's failures as the job sees them: what to retry, what to tell the advertiser. */
export function providerError(error: unknown, signal?: AbortSignal): unknown {
  if (error instanceof CreativeProviderError) return error;
  if (error instanceof APIUserAbortError || signal?.aborted) return cancelled('openai', signal);
  const provider = 'openai' as const;
  if (error instanceof APIConnectionError)
    return new CreativeProviderError('unavailable', `OpenAI did not answer: ${error.message}`, {
      provider,
      cause: error,
    });
  if (!(error instanceof APIError) || error.status === undefined) return error;
  const { status, code, message } = error;
  if (status === 401 || status === 403)
    return new CreativeProviderError('invalid_key', `OpenAI refused the key: ${message}`, {
      provider,
      cause: error,
    });
  if (status === 429 && code === 'insufficient_quota')
    return new CreativeProviderError(
      'invalid_request',
      `OpenAI: the account's quota is used up: ${message}`,
      { provider, cause: error },
    );
  if (status === 429)
    return new CreativeProviderError('rate_limited', `OpenAI is rate limiting: ${message}`, {
      provider,
      retryAfterSeconds: retryAfter(error.headers),
      cause: error,
    });
  if (status >= 500)
    return new CreativeProviderError('unavailable', `OpenAI failed (${status}): ${message}`, {
      provider,
      cause: error,
    });
  if (code === 'moderation_blocked' || code === 'content_policy_violation')
    return new CreativeProviderError(
      'moderation_refused',
      `OpenAI's safety system refused the prompt: ${message}`,
      {
        provider,
        cause: error,
      },
    );
  return new CreativeProviderError('invalid_request', `OpenAI refused the request (${status}): ${message}`, {
    provider,
    cause: error,
  });
}

function retryAfter(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (ms > 0) return Math.ceil(ms / 1000);
  const seconds = Number(headers?.get('retry-after'));
  return seconds > 0 ? seconds : undefined;
}
