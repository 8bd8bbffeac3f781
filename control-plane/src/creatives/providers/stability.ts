import sharp from 'sharp';
import { brandPrompt } from './brand-prompt.ts';
import {
  type CostEstimate,
  type CreativeProvider,
  CreativeProviderError,
  type GeneratedAsset,
  type GenerationRequest,
} from './creative-provider.ts';
import { cancelled, throwIfCancelled } from './poll.ts';
import { assetsFromMaster, checkFormat, masterAspectOf } from './recompose.ts';

/*
 * Stability AI by `fetch` against its REST API (it has no official Node SDK): the v2beta Stable
 * Image generate endpoints, multipart in, the image's bytes out (`accept: image/*`). Images only:
 * its video API was withdrawn. Its moderation answers 403 `content_moderation`, or a 200 with
 * `finish-reason: CONTENT_FILTERED` (a blurred image), both refused as moderation.
 */

export type StabilityProviderOptions = {
  apiKey: string;
  /** `https://api.stability.ai`, or a proxy or local fake. */
  apiBase: string;
  /** The generate endpoint: `core`, `ultra` or `sd3` (Stable Diffusion 3.5 Large). */
  service?: keyof typeof CREDITS;
};

/** Credits an image (platform.stability.ai/pricing, as of 2025-10); a credit is $0.01. */
const CREDITS = { core: 3, ultra: 8, sd3: 6.5 } as const;

type StabilityErrorBody = { id?: string; name?: string; errors?: string[] };

export function stabilityProvider(options: StabilityProviderOptions): CreativeProvider {
  const service = options.service ?? 'core';
  const model = service === 'sd3' ? 'sd3.5-large' : `stable-image-${service}`;
  const provider = 'stability' as const;

  async function image(request: GenerationRequest): Promise<GeneratedAsset[]> {
    const aspectRatio = masterAspectOf(request.placements);
    const prompt = brandPrompt({ provider, ...request, aspectRatio });
    const form = new FormData();
    form.set('prompt', prompt);
    form.set('aspect_ratio', aspectRatio);
    form.set('output_format', 'png');
    form.set('negative_prompt', 'text, letters, words, captions, logos, watermark');
    if (service === 'sd3') form.set('model', 'sd3.5-large');
    let response: Response;
    try {
      response = await fetch(new URL(`/v2beta/stable-image/generate/${service}`, options.apiBase), {
        method: 'POST',
        headers: { authorization: `Bearer ${options.apiKey}`, accept: 'image/*' },
        body: form,
        signal: request.signal,
      });
    } catch (error) {
      if (request.signal?.aborted) throw cancelled(provider, request.signal);
      throw new CreativeProviderError('unavailable', `Stability did not answer: ${String(error)}`, {
        provider,
        cause: error,
      });
    }
    if (!response.ok) throw await errorOf(response);
    if (response.headers.get('finish-reason') === 'CONTENT_FILTERED') {
      throw new CreativeProviderError('moderation_refused', "Stability's moderation filtered the image", {
        provider,
      });
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    request.onProgress?.(0.5);
    const meta = await sharp(bytes)
      .metadata()
      .catch((error: unknown) => {
        throw new CreativeProviderError(
          'generation_failed',
          `Stability answered no image: ${String(error)}`,
          {
            provider,
            cause: error,
          },
        );
      });
    return assetsFromMaster(
      request,
      { bytes, contentType: `image/${meta.format}`, width: meta.width ?? 0, height: meta.height ?? 0 },
      { provider, model, prompt },
      { from: 0.5 },
    );
  }

  return {
    id: provider,
    supports: { image: true, video: false },
    estimateCost(request: GenerationRequest): CostEstimate | null {
      if (request.kind === 'video') return null;
      const credits = CREDITS[service];
      return {
        currency: 'USD',
        amountMinor: Math.ceil(credits),
        basis: `one ${model} image, ${credits} credits at $0.01, recomposed to each placement for free (Stability prices of 2025-10)`,
      };
    },
    async generate(request: GenerationRequest): Promise<GeneratedAsset[]> {
      checkFormat(request, provider);
      if (request.kind === 'video')
        throw new CreativeProviderError('invalid_request', 'Stability makes images, not videos', {
          provider,
        });
      throwIfCancelled(provider, request.signal);
      try {
        return await image(request);
      } catch (error) {
        // An abort while the answer's body is read surfaces as fetch's AbortError.
        if (!(error instanceof CreativeProviderError) && request.signal?.aborted)
          throw cancelled(provider, request.signal);
        throw error;
      }
    },
  };
}

/** Stability's errors (`{ id, name, errors }`) as the job sees them. */
async function errorOf(response: Response): Promise<CreativeProviderError> {
  const provider = 'stability' as const;
  const body = (await response.json().catch(() => ({}))) as StabilityErrorBody;
  const why = body.errors?.join('; ') || body.name || response.statusText;
  const status = response.status;
  if (status === 401)
    return new CreativeProviderError('invalid_key', `Stability refused the key: ${why}`, { provider });
  if (status === 402)
    return new CreativeProviderError(
      'invalid_request',
      `Stability: payment required (out of credits): ${why}`,
      {
        provider,
      },
    );
  if (status === 403 && body.name === 'content_moderation')
    return new CreativeProviderError(
      'moderation_refused',
      `Stability's moderation refused the prompt: ${why}`,
      {
        provider,
      },
    );
  if (status === 403)
    return new CreativeProviderError('invalid_key', `Stability refused access: ${why}`, { provider });
  if (status === 429) {
    // Stability documents a 60-second block after a rate limit when it sends no Retry-After.
    const retryAfter = Number(response.headers.get('retry-after'));
    return new CreativeProviderError('rate_limited', `Stability is rate limiting: ${why}`, {
      provider,
      retryAfterSeconds: retryAfter > 0 ? retryAfter : 60,
    });
  }
  if (status >= 500)
    return new CreativeProviderError('unavailable', `Stability failed (${status}): ${why}`, { provider });
  return new CreativeProviderError('invalid_request', `Stability refused the request (${status}): ${why}`, {
    provider,
  });
}
