import { z } from 'zod';
import { AdPlatformError, type AdPlatformErrorKind, keptResponse } from '../ad-platform.ts';

/** The TikTok Business API version every path is under. */
export const TIKTOK_API_VERSION = 'v1.3';

/** `{tiktokUrl}/open_api/v1.3{path}`; `path` starts with a slash and ends with one, as TikTok's do. */
export function tiktokApiUrl(tiktokUrl: string, path: string): string {
  return `${tiktokUrl.replace(/\/+$/, '')}/open_api/${TIKTOK_API_VERSION}${path}`;
}

/**
 * Every TikTok answer, success or not, is HTTP 200 with this envelope; `code` 0 is success and
 * anything else an error named by the code (the HTTP status says nothing).
 */
export const tiktokEnvelopeSchema = z.object({
  code: z.number().int(),
  message: z.string().optional(),
  request_id: z.string().optional(),
  data: z.unknown().optional(),
});
export type TikTokEnvelope = z.infer<typeof tiktokEnvelopeSchema>;

// TikTok's return codes (appendix "Return codes"): the token family, the rate limit, and the
// parameter errors. Codes from 50000 up are TikTok's own failures.
const AUTH_CODES = new Set([40102, 40104, 40105]);
const RATE_LIMIT_CODE = 40100;
const PARAMETER_ERROR_CODES = new Set([40001, 40002]);

/**
 * What a TikTok code means to TAS. `parameter_error`: something in the request body is wrong (for
 * a batch of events, possibly one event); `invalid`: any other refusal of the request itself.
 */
export type TikTokCodeClass = 'ok' | 'auth' | 'rate_limited' | 'unavailable' | 'parameter_error' | 'invalid';

export function classifyTikTokCode(code: number): TikTokCodeClass {
  if (code === 0) return 'ok';
  if (AUTH_CODES.has(code)) return 'auth';
  if (code === RATE_LIMIT_CODE) return 'rate_limited';
  if (code >= 50000) return 'unavailable';
  if (PARAMETER_ERROR_CODES.has(code)) return 'parameter_error';
  return 'invalid';
}

/** A TikTok answer with its HTTP status, the envelope when the body was one. */
export type TikTokAnswer =
  | { kind: 'envelope'; httpStatus: number; envelope: TikTokEnvelope }
  | { kind: 'http_error'; httpStatus: number; body: unknown }
  | { kind: 'unreachable'; message: string };

/** Calls TikTok with the advertiser's token in `Access-Token`; never throws. */
export async function callTikTok(
  request: {
    method: 'GET' | 'POST';
    url: string;
    /** Null for the token exchange, the one call made without one. */
    accessToken: string | null;
    body?: unknown;
  },
  context: { fetch: typeof fetch; timeoutMs: number },
): Promise<TikTokAnswer> {
  let response: Response;
  try {
    response = await context.fetch(request.url, {
      method: request.method,
      headers: {
        ...(request.accessToken === null ? {} : { 'Access-Token': request.accessToken }),
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(context.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return {
      kind: 'unreachable',
      message: timedOut ? 'TikTok did not answer in time' : 'TikTok could not be reached',
    };
  }
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): kept as text.
  }
  const envelope = tiktokEnvelopeSchema.safeParse(body);
  if (response.ok && envelope.success)
    return { kind: 'envelope', httpStatus: response.status, envelope: envelope.data };
  return { kind: 'http_error', httpStatus: response.status, body };
}

/**
 * The answer as an AdPlatformError for the campaign and OAuth calls, or the envelope's `data`
 * when TikTok said code 0.
 */
export function tiktokDataOrThrow(answer: TikTokAnswer, what: string): unknown {
  if (answer.kind === 'unreachable') throw new AdPlatformError('unavailable', `${answer.message} (${what}).`);
  if (answer.kind === 'http_error') {
    const kind: AdPlatformErrorKind =
      answer.httpStatus === 429
        ? 'rate_limited'
        : answer.httpStatus >= 500 || answer.httpStatus < 400
          ? 'unavailable'
          : answer.httpStatus === 401 || answer.httpStatus === 403
            ? 'auth'
            : 'invalid';
    throw new AdPlatformError(kind, `TikTok answered HTTP ${answer.httpStatus} to ${what}.`, {
      httpStatus: answer.httpStatus,
      response: keptResponse(answer.body),
    });
  }
  const { code, message, data } = answer.envelope;
  const meaning = classifyTikTokCode(code);
  if (meaning === 'ok') return data;
  throw new AdPlatformError(
    meaning === 'parameter_error' ? 'invalid' : meaning,
    `TikTok refused ${what}: ${code} ${message ?? ''}`.trim(),
    {
      httpStatus: answer.httpStatus,
      response: keptResponse(answer.envelope),
    },
  );
}
