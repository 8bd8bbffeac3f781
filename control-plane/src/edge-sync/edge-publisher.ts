import { type CapUsageRequest, type CapUsageResponse, capUsageResponseSchema } from '@tas/shared/cap-usage';
import type { ConfigPublishRequest } from '@tas/shared/config-publish';
import { SIGNATURE_HEADER, signBody } from '@tas/shared/signature';
import { z } from 'zod';
import { ApiError } from '../http/api-error.ts';

/** What the edge's `POST /internal/dead-letters/count` answers. */
export const deadLetterCountSchema = z.object({ stored: z.number().int().min(0) });

/** What the edge's `POST /internal/dead-letters/replay` answers (one call: up to 200 letters). */
export const deadLetterReplaySchema = z.object({
  replayed: z.number().int().min(0),
  failed: z.array(z.object({ messageId: z.string(), failure: z.string() })),
  remaining: z.number().int().min(0),
});
export type DeadLetterReplay = z.infer<typeof deadLetterReplaySchema>;

/**
 * The control plane's side of the edge's internal API: publishing configuration to KV, reading
 * the cap counters kept in Durable Objects, and the operator's dead-letter store.
 */
export type EdgePublisher = {
  publish(request: ConfigPublishRequest): Promise<void>;
  capUsage(request: CapUsageRequest): Promise<CapUsageResponse>;
  /** How many events wait in the edge's dead-letter store. */
  deadLetterCount(): Promise<number>;
  /** Sends the oldest dead letters to the ingest again; those that fail stay, with why. */
  replayDeadLetters(): Promise<DeadLetterReplay>;
};

/**
 * Talks to the edge's signed `POST /internal/config`, `POST /internal/caps` and
 * `POST /internal/dead-letters/count|replay`.
 */
export function createEdgePublisher(options: {
  edgeUrl: string;
  signingSecret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): EdgePublisher {
  const doFetch = options.fetch ?? fetch;
  const base = options.edgeUrl.replace(/\/+$/, '');
  async function post(
    path: string,
    request: unknown,
    accept: (response: Response) => boolean = (response) => response.ok,
  ): Promise<Response> {
    const body = JSON.stringify(request);
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: await signBody(options.signingSecret, path, body),
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new ApiError('edge_unavailable', `The edge could not be reached: ${String(error)}`);
    }
    if (!accept(response)) {
      throw new ApiError(
        'edge_unavailable',
        `The edge refused ${path}: ${response.status} ${(await response.text()).slice(0, 300)}`,
      );
    }
    return response;
  }
  return {
    async publish(request) {
      await post('/internal/config', request);
    },
    async capUsage(request) {
      const response = await post('/internal/caps', request);
      const parsed = capUsageResponseSchema.safeParse(await response.json().catch(() => null));
      if (!parsed.success)
        throw new ApiError('edge_unavailable', 'The edge answered /internal/caps unreadably.');
      return parsed.data;
    },
    async deadLetterCount() {
      const response = await post('/internal/dead-letters/count', {});
      const parsed = deadLetterCountSchema.safeParse(await response.json().catch(() => null));
      if (!parsed.success)
        throw new ApiError('edge_unavailable', 'The edge answered /internal/dead-letters/count unreadably.');
      return parsed.data.stored;
    },
    async replayDeadLetters() {
      // A 503 with the usual body means no letter went through (the ingest refused them all):
      // that is an answer to show, with each letter's failure, not an unreachable edge.
      const response = await post('/internal/dead-letters/replay', {}, (r) => r.ok || r.status === 503);
      const text = await response.text();
      const parsed = deadLetterReplaySchema.safeParse(parseJson(text));
      if (!parsed.success) {
        throw new ApiError(
          'edge_unavailable',
          response.ok
            ? 'The edge answered /internal/dead-letters/replay unreadably.'
            : `The edge refused /internal/dead-letters/replay: ${response.status} ${text.slice(0, 300)}`,
        );
      }
      return parsed.data;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
