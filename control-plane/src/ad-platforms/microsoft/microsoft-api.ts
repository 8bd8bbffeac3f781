import { z } from 'zod';
import {
  AdPlatformError,
  type AdPlatformErrorKind,
  keptResponse,
  type PlatformCallContext,
} from '../ad-platform.ts';

/** The Campaign Management service's REST path, under `microsoftAdsUrl`. */
export const MICROSOFT_CAMPAIGN_MANAGEMENT_PATH = '/CampaignManagement/v13';

const longSchema = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);

/** One error of a fault or of `PartialErrors` (an OperationError, BatchError or AdApiError). */
export const microsoftErrorSchema = z.object({
  Code: longSchema,
  ErrorCode: z.string().nullish(),
  Message: z.string().nullish(),
  Index: longSchema.nullish(),
  FieldPath: z.string().nullish(),
});
export type MicrosoftError = z.infer<typeof microsoftErrorSchema>;

/**
 * A failed operation's body: an ApiFaultDetail (`OperationErrors`, `BatchErrors`) or, for
 * authentication and other generic failures, an AdApiFaultDetail (`Errors`).
 */
const faultSchema = z.object({
  TrackingId: z.string().nullish(),
  Type: z.string().nullish(),
  Errors: z.array(microsoftErrorSchema).nullish(),
  OperationErrors: z.array(microsoftErrorSchema).nullish(),
  BatchErrors: z.array(microsoftErrorSchema).nullish(),
});
export type MicrosoftFault = z.infer<typeof faultSchema>;

// Operation error codes (guide "Operation Error Codes"): 105 InvalidCredentials, 106
// UserIsNotAuthorized, 109 AuthenticationTokenExpired; 117 CallRateExceeded; 0 InternalError.
const AUTH_CODES = new Set([105, 106, 109]);
const CALL_RATE_EXCEEDED = 117;
const INTERNAL_ERROR = 0;

/** What a failed call means to TAS, read from the error codes first and the HTTP status after. */
export function classifyMicrosoftFault(
  httpStatus: number,
  fault: MicrosoftFault | null,
): Exclude<AdPlatformErrorKind, 'not_configured'> {
  const codes = [...(fault?.Errors ?? []), ...(fault?.OperationErrors ?? [])].map((e) => e.Code);
  if (codes.some((c) => AUTH_CODES.has(c))) return 'auth';
  if (codes.includes(CALL_RATE_EXCEEDED) || httpStatus === 429) return 'rate_limited';
  if (codes.includes(INTERNAL_ERROR) || httpStatus >= 500) return 'unavailable';
  if (httpStatus === 401 || httpStatus === 403) return 'auth';
  return 'invalid';
}

/** What each call needs beside the token: who the app is and which account it acts on. */
export type MicrosoftAccount = { developerToken: string; customerId: string; accountId: string };

/** The account a call acts on, or why there is none (the connection or the app is incomplete). */
export function microsoftAccountOf(
  context: Pick<PlatformCallContext, 'connection' | 'apps'>,
): MicrosoftAccount | { missing: string } {
  const developerToken = context.apps.microsoft?.developerToken;
  if (!developerToken) return { missing: 'No Microsoft Advertising developer token is configured.' };
  const { accountId, loginAccountId } = context.connection;
  if (!accountId || !/^\d+$/.test(accountId))
    return { missing: 'The Microsoft Advertising connection has no account id.' };
  if (!loginAccountId || !/^\d+$/.test(loginAccountId))
    return { missing: 'The Microsoft Advertising connection has no customer id.' };
  return { developerToken, customerId: loginAccountId, accountId };
}

export type MicrosoftAnswer =
  | { kind: 'ok'; httpStatus: number; body: unknown }
  | {
      kind: 'failed';
      httpStatus: number;
      body: unknown;
      fault: MicrosoftFault | null;
      meaning: ReturnType<typeof classifyMicrosoftFault>;
      retryAfterMs: number | undefined;
    }
  | { kind: 'unreachable'; message: string };

function retryAfterMsOf(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** One Campaign Management REST call with the headers every operation takes; never throws. */
export async function callMicrosoftAds(
  request: { method: 'POST' | 'PUT'; operation: string; body: unknown },
  account: MicrosoftAccount,
  context: Pick<PlatformCallContext, 'connection' | 'endpoints' | 'fetch' | 'timeoutMs'>,
): Promise<MicrosoftAnswer> {
  const url = `${context.endpoints.microsoftAdsUrl.replace(/\/+$/, '')}${MICROSOFT_CAMPAIGN_MANAGEMENT_PATH}${request.operation}`;
  let response: Response;
  try {
    response = await context.fetch(url, {
      method: request.method,
      headers: {
        Authorization: `Bearer ${context.connection.credentials.accessToken}`,
        DeveloperToken: account.developerToken,
        CustomerId: account.customerId,
        CustomerAccountId: account.accountId,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(request.body),
      signal: AbortSignal.timeout(context.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return {
      kind: 'unreachable',
      message: timedOut
        ? 'Microsoft Advertising did not answer in time'
        : 'Microsoft Advertising could not be reached',
    };
  }
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON (a gateway's error page): kept as text.
  }
  if (response.ok) return { kind: 'ok', httpStatus: response.status, body };
  const fault = faultSchema.safeParse(body);
  const parsedFault = fault.success ? fault.data : null;
  return {
    kind: 'failed',
    httpStatus: response.status,
    body,
    fault: parsedFault,
    meaning: classifyMicrosoftFault(response.status, parsedFault),
    retryAfterMs: retryAfterMsOf(response.headers.get('retry-after')),
  };
}

/** The answer's body, or the failure as an AdPlatformError (campaign calls). */
export function microsoftBodyOrThrow(answer: MicrosoftAnswer, what: string): unknown {
  if (answer.kind === 'ok') return answer.body;
  if (answer.kind === 'unreachable') throw new AdPlatformError('unavailable', `${answer.message} (${what}).`);
  const first = [...(answer.fault?.Errors ?? []), ...(answer.fault?.OperationErrors ?? [])][0];
  throw new AdPlatformError(
    answer.meaning,
    `Microsoft Advertising refused ${what}: HTTP ${answer.httpStatus}${first ? ` ${first.Code} ${first.ErrorCode ?? ''}` : ''}.`,
    {
      httpStatus: answer.httpStatus,
      response: keptResponse(answer.body),
      ...(answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs }),
    },
  );
}

/** The account, or an AdPlatformError('not_configured') (campaign calls). */
export function microsoftAccountOrThrow(
  context: Pick<PlatformCallContext, 'connection' | 'apps'>,
): MicrosoftAccount {
  const account = microsoftAccountOf(context);
  if ('missing' in account) throw new AdPlatformError('not_configured', account.missing);
  return account;
}
