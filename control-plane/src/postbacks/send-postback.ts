import { type Dispatcher, request as httpRequest } from 'undici';
import { type OutboundPolicy, outboundDispatcher } from './outbound-guard.ts';
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
// Enough bytes for EXCERPT_CHARS characters of UTF-8; the rest of a large answer is not read.
const EXCERPT_BYTES = EXCERPT_CHARS * 4;

async function readExcerpt(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= EXCERPT_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS);
}

/**
 * Makes one postback request and reports what happened, never throwing: success is any 2xx.
 * The request goes through the policy's agent, which checks the address it connects to
 * (outbound-guard.ts); redirects are not followed (one could lead into a private network).
 */
export async function sendPostback(
  request: RenderedPostback,
  policy: OutboundPolicy,
  options: { timeoutMs?: number } = {},
): Promise<PostbackAttemptResult> {
  const started = performance.now();
  const base = { url: request.url, method: request.method };
  const finish = (partial: Omit<PostbackAttemptResult, 'url' | 'method' | 'latencyMs'>) => ({
    ...base,
    latencyMs: Math.round(performance.now() - started),
    ...partial,
  });
  try {
    const response = await httpRequest(request.url, {
      method: request.method,
      headers: { 'user-agent': 'TAS-Postback/1', ...request.headers },
      body: request.body,
      dispatcher: outboundDispatcher(policy),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await readExcerpt(response.body).catch(() => '');
    return finish({
      statusCode: response.statusCode,
      bodyExcerpt: text,
      error: null,
      ok: response.statusCode >= 200 && response.statusCode < 300,
    });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return finish({ statusCode: null, bodyExcerpt: null, error: message.slice(0, EXCERPT_CHARS), ok: false });
  }
}
