import { z } from 'zod';
import {
  AdPlatformError,
  type AdPlatformErrorKind,
  keptResponse,
  type PlatformConnection,
} from '../ad-platform.ts';

/**
 * The Google Ads API over REST, shared by the click-conversion upload and the campaign client.
 * The version is in the path; Google sunsets each one about a year after release, so moving on is
 * a one-line change here plus the fake.
 */
export const GOOGLE_ADS_API_VERSION = 'v22';

/** One error of a GoogleAdsFailure: `errorCode` is a one-key object such as `{ quotaError: 'RESOURCE_EXHAUSTED' }`. */
export const googleAdsErrorSchema = z.object({
  errorCode: z.record(z.string(), z.unknown()).optional(),
  message: z.string().optional(),
  trigger: z.unknown().optional(),
  location: z
    .object({
      fieldPathElements: z
        .array(z.object({ fieldName: z.string(), index: z.number().int().optional() }))
        .optional(),
    })
    .optional(),
  details: z
    .object({ quotaErrorDetails: z.object({ retryDelay: z.string().optional() }).optional() })
    .optional(),
});

/** `google.ads.googleads.vNN.errors.GoogleAdsFailure`, found by its `@type` in a Status's details. */
export const googleAdsFailureSchema = z.object({
  '@type': z.string().regex(/GoogleAdsFailure$/),
  errors: z.array(googleAdsErrorSchema),
  requestId: z.string().optional(),
});

/** google.rpc.Status as Google Ads answers it over REST. */
export const googleAdsStatusSchema = z.object({
  code: z.number().int(),
  message: z.string().optional(),
  status: z.string().optional(),
  details: z.array(z.unknown()).optional(),
});

// searchStream wraps its error in an array, like its batches; every other method answers the bare object.
const errorBodySchema = z.union([
  z.object({ error: googleAdsStatusSchema }),
  z.array(z.object({ error: googleAdsStatusSchema })).min(1),
]);

export type GoogleAdsStatus = z.infer<typeof googleAdsStatusSchema>;
export type GoogleAdsError = z.infer<typeof googleAdsErrorSchema>;

/** The GoogleAdsFailure errors carried by a Status (whole-request error or partialFailureError). */
export function googleAdsErrorsOf(status: GoogleAdsStatus): GoogleAdsError[] {
  return (status.details ?? []).flatMap((detail) => {
    const failure = googleAdsFailureSchema.safeParse(detail);
    return failure.success ? failure.data.errors : [];
  });
}

/** `"30s"` / `"1.5s"` (a protobuf Duration in JSON) as milliseconds. */
export function durationMs(text: string | undefined): number | undefined {
  const match = text === undefined ? null : /^(\d+(?:\.\d+)?)s$/.exec(text);
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** What a failed Google Ads call means for the caller, from its HTTP status and Status body. */
export type GoogleAdsFailureInfo = {
  kind: AdPlatformErrorKind;
  httpStatus: number | null;
  response: string;
  retryAfterMs?: number | undefined;
};

function failureInfo(httpStatus: number, body: unknown): GoogleAdsFailureInfo {
  const parsed = errorBodySchema.safeParse(body);
  const status = parsed.success
    ? Array.isArray(parsed.data)
      ? parsed.data[0]!.error
      : parsed.data.error
    : null;
  const retryAfterMs = status
    ? googleAdsErrorsOf(status)
        .map((error) => durationMs(error.details?.quotaErrorDetails?.retryDelay))
        .find((ms) => ms !== undefined)
    : undefined;
  const kind: AdPlatformErrorKind =
    httpStatus === 401 || httpStatus === 403 || status?.status === 'UNAUTHENTICATED'
      ? 'auth'
      : httpStatus === 429 || status?.status === 'RESOURCE_EXHAUSTED'
        ? 'rate_limited'
        : httpStatus >= 500
          ? 'unavailable'
          : 'invalid';
  return { kind, httpStatus, response: keptResponse(body ?? `HTTP ${httpStatus}`), retryAfterMs };
}

export type GoogleAdsCall = {
  connection: PlatformConnection;
  googleAdsUrl: string;
  developerToken: string;
  fetch: typeof fetch;
  timeoutMs: number;
};

/**
 * POSTs one Google Ads REST method (`path` after the version, e.g. `customers/123:uploadClickConversions`).
 * Answers the parsed JSON of a 2xx, or the failure as Google described it; never throws for
 * Google's answers, and a network failure or timeout is `unavailable`.
 */
export async function postGoogleAds(
  call: GoogleAdsCall,
  path: string,
  body: unknown,
): Promise<{ ok: true; httpStatus: number; body: unknown } | { ok: false; failure: GoogleAdsFailureInfo }> {
  const base = call.googleAdsUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = {
    authorization: `Bearer ${call.connection.credentials.accessToken}`,
    'developer-token': call.developerToken,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  // Only digits: Google refuses the header with dashes, as customer ids are often written.
  if (call.connection.loginAccountId)
    headers['login-customer-id'] = call.connection.loginAccountId.replace(/-/g, '');
  let response: Response;
  try {
    response = await call.fetch(`${base}/${GOOGLE_ADS_API_VERSION}/${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    return {
      ok: false,
      failure: {
        kind: 'unavailable',
        httpStatus: null,
        response: `Google Ads ${reason} (${path.split(':')[1] ?? path}).`,
      },
    };
  }
  const text = await response.text().catch(() => '');
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text.slice(0, 500);
  }
  if (!response.ok) return { ok: false, failure: failureInfo(response.status, json) };
  return { ok: true, httpStatus: response.status, body: json };
}

/** The failure as the error the campaign client and OAuth throw. */
export function googleAdsError(failure: GoogleAdsFailureInfo, what: string): AdPlatformError {
  return new AdPlatformError(
    failure.kind,
    `Google Ads ${what} failed (${failure.httpStatus ?? 'no answer'}).`,
    {
      httpStatus: failure.httpStatus,
      response: failure.response,
      ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
    },
  );
}

/** The developer token and the customer id, or an error saying which is missing. */
export function googleAdsCallOf(context: {
  connection: PlatformConnection;
  endpoints: { googleAdsUrl: string };
  apps: { google?: { developerToken: string } | undefined };
  fetch: typeof fetch;
  timeoutMs: number;
}): { call: GoogleAdsCall; customerId: string } | { error: string } {
  const developerToken = context.apps.google?.developerToken;
  if (!developerToken) return { error: 'No Google Ads developer token is configured.' };
  const customerId = context.connection.accountId?.replace(/-/g, '');
  if (!customerId || !/^\d+$/.test(customerId))
    return { error: 'The connection has no Google Ads customer id.' };
  return {
    customerId,
    call: {
      connection: context.connection,
      googleAdsUrl: context.endpoints.googleAdsUrl,
      developerToken,
      fetch: context.fetch,
      timeoutMs: context.timeoutMs,
    },
  };
}
