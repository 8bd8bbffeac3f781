import { type CapUsageRequest, type CapUsageResponse, capUsageResponseSchema } from '@tas/shared/cap-usage';
import type { ConfigPublishRequest } from '@tas/shared/config-publish';
import { SIGNATURE_HEADER, signBody } from '@tas/shared/signature';
import { ApiError } from '../http/api-error.ts';

/**
 * The control plane's side of the edge's internal API: publishing configuration to KV, and
 * reading the cap counters kept in Durable Objects.
 */
export type EdgePublisher = {
  publish(request: ConfigPublishRequest): Promise<void>;
  capUsage(request: CapUsageRequest): Promise<CapUsageResponse>;
};

/** Talks to the edge's signed `POST /internal/config` and `POST /internal/caps`. */
export function createEdgePublisher(options: {
  edgeUrl: string;
  signingSecret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): EdgePublisher {
  const doFetch = options.fetch ?? fetch;
  const base = options.edgeUrl.replace(/\/+$/, '');
  async function post(path: string, request: unknown): Promise<Response> {
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
    if (!response.ok) {
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
  };
}
