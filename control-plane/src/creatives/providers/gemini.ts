import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiError,
  type GenerateContentResponse,
  type GenerateVideosOperation,
  GoogleGenAI,
} from '@google/genai';
import sharp from 'sharp';
import { brandPrompt } from './brand-prompt.ts';
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
 * Google Gemini through `@google/genai` (2.32.0: 3.x needs Node 22), the Gemini Developer API
 * with an API key. Images come from `generateContent` on an image model (`generateImages` is
 * Vertex-only); videos from Veo as a long-running operation. Gemini has no moderation endpoint:
 * its safety filters answer inside the response, and are mapped to `moderation_refused`. The
 * SDK's retries are off (no `retryOptions`): the job retries.
 */

export type GeminiProviderOptions = {
  apiKey: string;
  /** `https://generativelanguage.googleapis.com`, or a proxy or local fake. */
  baseUrl: string;
  imageModel?: keyof typeof IMAGE_PRICES;
  videoModel?: keyof typeof VIDEO_PRICES_PER_SECOND;
  videoSeconds?: 4 | 6 | 8;
  poll?: PollTiming;
};

/** Google's published prices (ai.google.dev/pricing, as of 2025-10), USD per image. */
const IMAGE_PRICES = { 'gemini-2.5-flash-image': 0.039 } as const;
/** Veo, USD per second of video (as of 2025-10). */
const VIDEO_PRICES_PER_SECOND = {
  'veo-3.0-fast-generate-001': 0.15,
  'veo-3.0-generate-001': 0.4,
  'veo-3.1-fast-generate-preview': 0.15,
  'veo-3.1-generate-preview': 0.4,
} as const;

/** Veo's 720p in 9:16. */
const VIDEO_SIZE = { width: 720, height: 1280 };

/** Finish reasons meaning a safety filter withheld the answer. */
const SAFETY_FINISH = new Set([
  'SAFETY',
  'IMAGE_SAFETY',
  'PROHIBITED_CONTENT',
  'IMAGE_PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
]);

export function geminiProvider(options: GeminiProviderOptions): CreativeProvider {
  const ai = new GoogleGenAI({
    apiKey: options.apiKey,
    httpOptions: { baseUrl: options.baseUrl, timeout: 180_000 },
  });
  const imageModel = options.imageModel ?? 'gemini-2.5-flash-image';
  const videoModel = options.videoModel ?? 'veo-3.0-fast-generate-001';
  const seconds = options.videoSeconds ?? 8;
  const timing = options.poll ?? DEFAULT_POLL;

  async function image(request: GenerationRequest): Promise<GeneratedAsset[]> {
    const aspectRatio = masterAspectOf(request.placements);
    const prompt = brandPrompt({ provider: 'gemini', ...request, aspectRatio });
    const answer = await ai.models.generateContent({
      model: imageModel,
      contents: [{ role: 'user', parts: [{ text: prompt }] }],
      config: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio }, abortSignal: request.signal },
    });
    const bytes = imageOf(answer);
    request.onProgress?.(0.5);
    const meta = await sharp(bytes).metadata();
    return assetsFromMaster(
      request,
      { bytes, contentType: `image/${meta.format}`, width: meta.width ?? 0, height: meta.height ?? 0 },
      { provider: 'gemini', model: imageModel, prompt },
      { from: 0.5 },
    );
  }

  async function video(request: GenerationRequest): Promise<GeneratedAsset[]> {
    const aspectRatio = videoAspectOf(request, 'gemini');
    const prompt = brandPrompt({ provider: 'gemini', ...request, aspectRatio });
    const { signal } = request;
    const started = await ai.models.generateVideos({
      model: videoModel,
      source: { prompt },
      config: {
        aspectRatio,
        durationSeconds: seconds,
        resolution: '720p',
        numberOfVideos: 1,
        negativePrompt: 'text, captions, subtitles, logos, watermarks',
        abortSignal: signal,
      },
    });
    let polls = 0;
    const done = await pollUntil(
      'gemini',
      async (): Promise<GenerateVideosOperation | undefined> => {
        const operation = await ai.operations.getVideosOperation({
          operation: started,
          config: { abortSignal: signal },
        });
        // Veo reports no progress: creep towards 90% as polls go by.
        request.onProgress?.(0.9 * (1 - 0.8 ** ++polls));
        return operation.done ? operation : undefined;
      },
      timing,
      signal,
    );
    if (done.error) {
      const message = String(done.error.message ?? JSON.stringify(done.error));
      throw new CreativeProviderError(
        /safety|policy|guideline/i.test(message) ? 'moderation_refused' : 'generation_failed',
        `Gemini's video operation failed: ${message}`,
        { provider: 'gemini' },
      );
    }
    const generated = done.response?.generatedVideos?.[0];
    if (!generated?.video) {
      const reasons = done.response?.raiMediaFilteredReasons ?? [];
      if ((done.response?.raiMediaFilteredCount ?? 0) > 0 || reasons.length > 0) {
        throw new CreativeProviderError(
          'moderation_refused',
          `Gemini's safety filters withheld the video: ${reasons.join('; ') || 'filtered'}`,
          { provider: 'gemini' },
        );
      }
      throw new CreativeProviderError('generation_failed', 'Gemini finished the operation with no video', {
        provider: 'gemini',
      });
    }
    const bytes = await download(generated, signal);
    request.onProgress?.(1);
    return [
      {
        bytes,
        contentType: generated.video.mimeType ?? 'video/mp4',
        ...VIDEO_SIZE,
        placement: request.placements[0]!,
        durationSeconds: seconds,
        provider: 'gemini',
        model: videoModel,
        prompt,
      },
    ];
  }

  /** The SDK downloads a generated video only to a file (in Node): a temporary one, read back. */
  async function download(
    generated: NonNullable<NonNullable<GenerateVideosOperation['response']>['generatedVideos']>[number],
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    if (generated.video?.videoBytes) return Buffer.from(generated.video.videoBytes, 'base64');
    const dir = await mkdtemp(join(tmpdir(), 'tas-gemini-'));
    try {
      const path = join(dir, 'video.mp4');
      await ai.files.download({ file: generated, downloadPath: path, config: { abortSignal: signal } });
      return await readFile(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  return {
    id: 'gemini',
    supports: { image: true, video: true },
    estimateCost(request: GenerationRequest): CostEstimate {
      if (request.kind === 'video') {
        const perSecond = VIDEO_PRICES_PER_SECOND[videoModel];
        return {
          currency: 'USD',
          amountMinor: Math.ceil(perSecond * seconds * 100),
          basis: `${videoModel}, ${seconds} s at $${perSecond}/s (Google prices of 2025-10)`,
        };
      }
      const price = IMAGE_PRICES[imageModel];
      return {
        currency: 'USD',
        amountMinor: Math.ceil(price * 100),
        basis: `one ${imageModel} image at $${price}, recomposed to each placement for free (Google prices of 2025-10)`,
      };
    },
    async generate(request: GenerationRequest): Promise<GeneratedAsset[]> {
      try {
        checkFormat(request, 'gemini');
        throwIfCancelled('gemini', request.signal);
        return request.kind === 'video' ? await video(request) : await image(request);
      } catch (error) {
        throw providerError(error, request.signal);
      }
    },
  };
}

/** The image of an answer, or why there is none: a safety block is a moderation refusal. */
function imageOf(answer: GenerateContentResponse): Buffer {
  const blocked = answer.promptFeedback?.blockReason;
  if (blocked) {
    throw new CreativeProviderError(
      'moderation_refused',
      `Gemini's safety filters blocked the prompt: ${blocked}`,
      {
        provider: 'gemini',
      },
    );
  }
  const candidate = answer.candidates?.[0];
  const data = candidate?.content?.parts?.find((p) => p.inlineData?.data)?.inlineData?.data;
  if (data) return Buffer.from(data, 'base64');
  const reason = candidate?.finishReason;
  if (reason && SAFETY_FINISH.has(reason)) {
    throw new CreativeProviderError(
      'moderation_refused',
      `Gemini's safety filters withheld the image: ${reason}`,
      {
        provider: 'gemini',
      },
    );
  }
  throw new CreativeProviderError(
    'generation_failed',
    `Gemini answered no image (finish reason ${reason ?? 'none'})`,
    { provider: 'gemini' },
  );
}

type GoogleError = {
  code?: number;
  message?: string;
  status?: string;
  details?: { '@type'?: string; reason?: string; retryDelay?: string }[];
};

/** Gemini's failures as the job sees them. The SDK puts Google's JSON error in the message. */
export function providerError(error: unknown, signal?: AbortSignal): unknown {
  if (error instanceof CreativeProviderError) return error;
  if (signal?.aborted) return cancelled('gemini', signal);
  const provider = 'gemini' as const;
  if (!(error instanceof ApiError)) {
    // fetch's own failures (refused connection, reset, timeout) carry no status.
    if (error instanceof TypeError || (error instanceof Error && error.name === 'TimeoutError'))
      return new CreativeProviderError('unavailable', `Gemini did not answer: ${error.message}`, {
        provider,
        cause: error,
      });
    return error;
  }
  const google = googleErrorOf(error.message);
  const message = google.message ?? error.message;
  const status = error.status;
  if (status === 401 || status === 403 || google.details?.some((d) => d.reason === 'API_KEY_INVALID'))
    return new CreativeProviderError('invalid_key', `Gemini refused the key: ${message}`, {
      provider,
      cause: error,
    });
  if (status === 429) {
    const delay = google.details?.find((d) => d.retryDelay)?.retryDelay;
    return new CreativeProviderError('rate_limited', `Gemini is rate limiting: ${message}`, {
      provider,
      retryAfterSeconds: delay ? Math.ceil(Number.parseFloat(delay)) : undefined,
      cause: error,
    });
  }
  if (status >= 500)
    return new CreativeProviderError('unavailable', `Gemini failed (${status}): ${message}`, {
      provider,
      cause: error,
    });
  if (/safety|blocked|prohibited/i.test(message))
    return new CreativeProviderError('moderation_refused', `Gemini refused the prompt: ${message}`, {
      provider,
      cause: error,
    });
  return new CreativeProviderError('invalid_request', `Gemini refused the request (${status}): ${message}`, {
    provider,
    cause: error,
  });
}

function googleErrorOf(message: string): GoogleError {
  try {
    const parsed = JSON.parse(message) as { error?: GoogleError };
    return parsed.error ?? {};
  } catch {
    return {};
  }
}
