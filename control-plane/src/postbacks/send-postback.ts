import { assertPublicDestination, type OutboundPolicy } from './outbound-guard.ts';
import type { RenderedPostback } from './render-postback.ts';

export type PostbackAttemptResult = {
  url: string;
  method: 'GET' | 'POST';
  statusCode: number | null;
  latencyMs: number;
  bodyExcerpt: string | null;
  error: string | null;
  ok: boolean;
};

const EXCERPT_CHARS = 500;

/**
 * Makes one postback request and reports what happened, never throwing: success is any 2xx.
 * Redirects are not followed (a redirect could lead into a private network).
 */
export async function sendPostback(
  request: RenderedPostback,
  options: OutboundPolicy & { timeoutMs?: number; fetch?: typeof fetch },
): Promise<PostbackAttemptResult> {
  const started = performance.now();
  const base = { url: request.url, method: request.method };
  const finish = (partial: Omit<PostbackAttemptResult, 'url' | 'method' | 'latencyMs'>) => ({
    ...base,
    latencyMs: Math.round(performance.now() - started),
    ...partial,
  });
  try {
    await assertPublicDestination(new URL(request.url), options);
    const response = await (options.fetch ?? fetch)(request.url, {
      method: request.method,
      headers: { 'user-agent': 'TAS-Postback/1', ...request.headers },
      ...(request.body !== null ? { body: request.body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await response.text().catch(() => '');
    return finish({
      statusCode: response.status,
      bodyExcerpt: text.slice(0, EXCERPT_CHARS),
      error: null,
      ok: response.status >= 200 && response.status < 300,
    });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return finish({ statusCode: null, bodyExcerpt: null, error: message.slice(0, EXCERPT_CHARS), ok: false });
  }
}
