import type { BrandKit } from '../render/brand-kit.ts';
import type { CreativeCopy } from '../render/creative-copy.ts';

/*
 * What every creative generator offers a generation job (issue 11): the offline templates, and
 * OpenAI, Google Gemini and Stability, each enabled by its key. A provider's wire format stays in
 * its own file (`providers/openai.ts`, ...); jobs see only this interface.
 */

export type CreativeProviderId = 'templates' | 'openai' | 'gemini' | 'stability';

/** What one generation asks for: an image (or video) for the brand, in the sizes wanted. */
export type GenerationRequest = {
  kind: 'image' | 'video';
  brandKit: BrandKit;
  copy: CreativeCopy;
  /** Free text from the advertiser, added to the prompt a provider builds from the brand kit. */
  prompt?: string | undefined;
  /** Placement ids (`WIDTHxHEIGHT`, render/placements.ts) wanted. */
  placements: string[];
  /** Templates only: the layout id (render/layouts.ts). */
  layout?: string | undefined;
  format: 'png' | 'webp' | 'mp4';
  /** Cancels the job's work (the provider stops polling or rendering, and throws). */
  signal?: AbortSignal | undefined;
  /** 0..1 as the provider goes. */
  onProgress?: ((fraction: number) => void) | undefined;
};

/** One generated asset, with what made it: stored as it is with the creative. */
export type GeneratedAsset = {
  bytes: Uint8Array;
  contentType: string;
  width: number;
  height: number;
  /** The placement id this asset is for (`1200x628`), or null for a master to recompose. */
  placement: string | null;
  /** Seconds, for videos. */
  durationSeconds?: number | undefined;
  provider: CreativeProviderId;
  model: string;
  /** The prompt as sent to the provider (templates: null). */
  prompt: string | null;
};

/** A paid provider's estimate before anything is spent, in USD minor units (cents). */
export type CostEstimate = { currency: 'USD'; amountMinor: number; basis: string };

/**
 * Why a generation failed, as the job records and the API reports it. `moderation_refused`: the
 * provider's moderation (or TAS's banned words) refused the prompt or the output; `rate_limited`
 * and `unavailable` are retried by the job with backoff; `invalid_key` and `invalid_request` are not.
 */
export type CreativeProviderErrorCode =
  | 'moderation_refused'
  | 'rate_limited'
  | 'unavailable'
  | 'invalid_key'
  | 'invalid_request'
  | 'generation_failed'
  | 'not_configured'
  | 'cancelled';

export class CreativeProviderError extends Error {
  constructor(
    readonly code: CreativeProviderErrorCode,
    message: string,
    readonly detail: {
      provider: CreativeProviderId;
      retryAfterSeconds?: number | undefined;
      cause?: unknown;
    } = {
      provider: 'templates',
    },
  ) {
    super(message, { cause: detail.cause });
    this.name = 'CreativeProviderError';
  }

  /** Whether a job should try again later (with backoff). */
  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'unavailable';
  }
}

export interface CreativeProvider {
  readonly id: CreativeProviderId;
  /** What it can make; a job asking for something else is refused before it starts. */
  readonly supports: { image: boolean; video: boolean };
  /** Null for free providers (templates). */
  estimateCost(request: GenerationRequest): CostEstimate | null;
  generate(request: GenerationRequest): Promise<GeneratedAsset[]>;
}
