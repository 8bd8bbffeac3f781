import type { ConfigPublishRequest } from '@tas/shared/config-publish';
import { SIGNATURE_HEADER, signBody } from '@tas/shared/signature';
import { ApiError } from '../http/api-error.ts';

export type EdgePublisher = { publish(request: ConfigPublishRequest): Promise<void> };

/** Publishes configuration to the edge's KV through its signed `POST /internal/config`. */
export function createEdgePublisher(options: {
  edgeUrl: string;
  signingSecret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): EdgePublisher {
  const doFetch = options.fetch ?? fetch;
  const url = `${options.edgeUrl.replace(/\/+$/, '')}/internal/config`;
  return {
    async publish(request) {
      const body = JSON.stringify(request);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: await signBody(options.signingSecret, body),
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
          `The edge refused the configuration: ${response.status} ${(await response.text()).slice(0, 300)}`,
        );
      }
    },
  };
}
