import { z } from 'zod';
import { type AdPlatformErrorKind, keptResponse } from '../ad-platform.ts';

/**
 * Meta's Graph API as every Meta client of TAS speaks it: the pinned version, the error body and
 * what each error means. Meta keeps a version about two years; moving it is one line here.
 */
export const META_GRAPH_VERSION = 'v21.0';

/** `{ graph }/{ version }/{ path }`, whatever slashes the configured base ends with. */
export function metaGraphUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${META_GRAPH_VERSION}/${path.replace(/^\/+/, '')}`;
}

/** Meta's error body, the same on every Graph endpoint. */
export const metaErrorResponseSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().optional(),
      code: z.number().int(),
      error_subcode: z.number().int().optional(),
      error_user_title: z.string().optional(),
      error_user_msg: z.string().optional(),
      is_transient: z.boolean().optional(),
      fbtrace_id: z.string().optional(),
    }),
  })
  .describe('Graph API error');
export type MetaError = z.infer<typeof metaErrorResponseSchema>['error'];

// Throttling: 4 app, 17 user, 32 page, 613 custom, 80000-80014 business use case (80004 ads management).
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const isRateLimit = (code: number) => RATE_LIMIT_CODES.has(code) || (code >= 80_000 && code <= 80_014);
// 10 and 200-299: the token is valid but was not granted this object (a re-grant fixes it).
const isPermission = (code: number) => code === 10 || (code >= 200 && code <= 299);

/** What a Graph error means for the caller; `error` is Meta's error when its body was one. */
export type MetaErrorMeaning = {
  kind: Exclude<AdPlatformErrorKind, 'not_configured'>;
  error: MetaError | null;
};

/** Reads a Graph error answer (any status that is not 2xx). */
export function meaningOfMetaError(status: number, body: unknown): MetaErrorMeaning {
  const parsed = metaErrorResponseSchema.safeParse(body);
  if (!parsed.success) {
    if (status === 401 || status === 403) return { kind: 'auth', error: null };
    if (status === 429 || status >= 500) return { kind: 'unavailable', error: null };
    return { kind: 'invalid', error: null };
  }
  const error = parsed.data.error;
  if (
    error.code === 190 ||
    (error.type === 'OAuthException' && error.code === 102) ||
    isPermission(error.code)
  ) {
    return { kind: 'auth', error };
  }
  if (isRateLimit(error.code)) return { kind: 'rate_limited', error };
  // Code 1 ("unknown error") and 2 ("service unavailable") are Meta's own trouble when it says so.
  if (status >= 500 || error.is_transient === true || error.code === 2) return { kind: 'unavailable', error };
  return { kind: 'invalid', error };
}

const DEFAULT_RETRY_AFTER_MS = 60_000;
const usageSchema = z.record(
  z.string(),
  z.array(z.object({ estimated_time_to_regain_access: z.number().nonnegative().optional() }).loose()),
);

/**
 * How long to wait after a rate limit: Meta gives `estimated_time_to_regain_access` (minutes) in
 * `x-business-use-case-usage` for business use case limits, nothing for the others.
 */
export function metaRetryAfterMs(headers: Headers): number {
  const header = headers.get('x-business-use-case-usage');
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  let json: unknown;
  try {
    json = JSON.parse(header);
  } catch {
    return DEFAULT_RETRY_AFTER_MS;
  }
  const usage = usageSchema.safeParse(json);
  if (!usage.success) return DEFAULT_RETRY_AFTER_MS;
  const minutes = Object.values(usage.data)
    .flat()
    .map((entry) => entry.estimated_time_to_regain_access ?? 0);
  const longest = Math.max(0, ...minutes);
  return longest > 0 ? longest * 60_000 : DEFAULT_RETRY_AFTER_MS;
}

/** A Graph answer for the log, with the token blanked wherever Meta might have echoed it. */
export function keptMetaResponse(body: unknown, accessToken: string): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return keptResponse(accessToken ? text.replaceAll(accessToken, '[token]') : text);
}

/** A one-line description of a Graph error, for AdPlatformError messages (never the token). */
export function describeMetaError(status: number | null, error: MetaError | null): string {
  if (!error) return status === null ? 'Meta could not be reached' : `Meta answered HTTP ${status}`;
  const subcode = error.error_subcode === undefined ? '' : `/${error.error_subcode}`;
  return `Meta error ${error.code}${subcode}: ${error.error_user_msg ?? error.message}`;
}
