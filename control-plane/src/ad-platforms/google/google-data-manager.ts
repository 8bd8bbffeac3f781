import { IngestionServiceClient } from '@google-ads/datamanager';
import { formatDecimalAmount } from '@tas/shared/money';
import { z } from 'zod';
import {
  type AdConsent,
  type ConversionSender,
  type EventOutcome,
  type ForwardedEvent,
  keptResponse,
  type SendContext,
} from '../ad-platform.ts';

/**
 * Conversions by Google's Data Manager API (`events:ingest`), through its official client in its
 * REST ("fallback") mode: protobuf JSON over HTTP/1.1 to `googleDataManagerUrl`, with the
 * connection's OAuth token and the context's fetch and timeout. The API fails fast: one bad event
 * refuses the whole request, naming it in a google.rpc.BadRequest; those are parked and the rest
 * are sent once more in the same call.
 */

type IngestRequest = NonNullable<Parameters<IngestionServiceClient['ingestEvents']>[0]>;
type ClientOptions = NonNullable<ConstructorParameters<typeof IngestionServiceClient>[0]>;

// gRPC status codes, as GoogleError.code carries them.
const GRPC = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** What the client's error carries: the code and, decoded, the Status details. */
const googleErrorSchema = z.object({
  code: z.number().int(),
  message: z.string(),
  statusDetails: z.array(z.unknown()).optional(),
});
const badRequestSchema = z.object({
  fieldViolations: z.array(z.object({ field: z.string().optional(), description: z.string().optional() })),
});
// The client decodes a Duration's int64 seconds as a protobufjs Long `{ low, high }`.
const int64Schema = z.union([
  z.string().transform(Number),
  z.number(),
  z.object({ low: z.number(), high: z.number() }).transform((long) => long.high * 2 ** 32 + (long.low >>> 0)),
]);
const retryInfoSchema = z.object({
  retryDelay: z.object({
    seconds: int64Schema.optional(),
    nanos: z.number().optional(),
  }),
});

function consentStatus(consent: AdConsent) {
  return consent === 'granted' ? 'CONSENT_GRANTED' : 'CONSENT_DENIED';
}

function ingestEventOf(event: ForwardedEvent): NonNullable<IngestRequest['events']>[number] {
  const ms = event.occurredAt.getTime();
  const identifiers = [
    ...(event.userData.emailGoogle ? [{ emailAddress: event.userData.emailGoogle }] : []),
    ...(event.userData.phoneE164 ? [{ phoneNumber: event.userData.phoneE164 }] : []),
  ];
  const { gclid, gbraid, wbraid } = event.clickIds;
  return {
    transactionId: event.eventId,
    eventTimestamp: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 },
    ...(event.valueMinor !== null && event.currency
      ? {
          conversionValue: Number(formatDecimalAmount(event.valueMinor, event.currency)),
          currency: event.currency,
        }
      : {}),
    // Google refuses more than one click id on an event; gclid is the most precise.
    adIdentifiers: gclid ? { gclid } : gbraid ? { gbraid } : wbraid ? { wbraid } : {},
    ...(identifiers.length > 0 ? { userData: { userIdentifiers: identifiers } } : {}),
    eventSource: 'WEB',
    // Consent mode's own values first, else the `consent` parameter for both.
    ...(event.consent || event.consentMode.adUserData || event.consentMode.adPersonalization
      ? {
          consent: {
            adUserData: consentStatus(event.consentMode.adUserData ?? event.consent),
            adPersonalization: consentStatus(event.consentMode.adPersonalization ?? event.consent),
          },
        }
      : {}),
  };
}

/**
 * The client's auth: the connection's access token as a Bearer header on the context's fetch.
 * gax calls `fetch(url, init)` on whatever `authClient` it is given; a google-auth-library client
 * would refresh through google.com on its own, and TAS refreshes tokens itself (google-oauth.ts).
 */
function bearerAuth(
  accessToken: string,
  send: typeof fetch,
  timeoutMs: number,
  seen: { status: number | null },
) {
  const headers = (init: { headers?: HeadersInit }) => {
    const h = new Headers(init.headers);
    h.set('authorization', `Bearer ${accessToken}`);
    return h;
  };
  return {
    getRequestHeaders: async () => headers({}),
    fetch: async (
      url: string,
      init: { method?: string; headers?: HeadersInit; body?: BodyInit; signal?: AbortSignal },
    ) => {
      const signals = [AbortSignal.timeout(timeoutMs), ...(init.signal ? [init.signal] : [])];
      const response = await send(url, {
        method: init.method ?? 'POST',
        headers: headers(init),
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: AbortSignal.any(signals),
      });
      seen.status = response.status;
      return response;
    },
  };
}

function clientFor(context: SendContext, seen: { status: number | null }) {
  const base = new URL(context.endpoints.googleDataManagerUrl);
  const https = base.protocol === 'https:';
  const auth = bearerAuth(context.connection.credentials.accessToken, context.fetch, context.timeoutMs, seen);
  return new IngestionServiceClient({
    fallback: true,
    protocol: https ? 'https' : 'http',
    apiEndpoint: base.hostname,
    port: base.port ? Number(base.port) : https ? 443 : 80,
    // The client types its auth as google-auth-library's AuthClient; gax only calls `fetch` and
    // `getRequestHeaders` on it (fallbackServiceStub.ts), which bearerAuth provides.
    authClient: auth as unknown as ClientOptions['authClient'],
  });
}

type Attempt =
  | { ok: true; requestId: string; httpStatus: number | null }
  | { ok: false; code: number | null; httpStatus: number | null; response: string; details: unknown[] };

async function ingest(events: ForwardedEvent[], context: SendContext, accountId: string, actionId: string) {
  const seen = { status: null as number | null };
  const client = clientFor(context, seen);
  const loginAccountId = context.connection.loginAccountId?.replace(/-/g, '');
  const request: IngestRequest = {
    destinations: [
      {
        operatingAccount: { accountType: 'GOOGLE_ADS', accountId },
        ...(loginAccountId ? { loginAccount: { accountType: 'GOOGLE_ADS', accountId: loginAccountId } } : {}),
        productDestinationId: actionId,
      },
    ],
    encoding: 'HEX',
    events: events.map(ingestEventOf),
    ...(context.testEventCode !== null ? { validateOnly: true } : {}),
  };
  try {
    // The outbox owns retries and their backoff; the client must not add its own.
    const [response] = await client.ingestEvents(request, { retry: null, timeout: context.timeoutMs });
    return { ok: true, requestId: response.requestId ?? '', httpStatus: seen.status } satisfies Attempt;
  } catch (error) {
    const parsed = googleErrorSchema.safeParse(error);
    if (!parsed.success) {
      // No Status came back: no answer, a timeout, or a body that is not JSON (a proxy's 502 page).
      return {
        ok: false,
        code: null,
        httpStatus: seen.status,
        response: seen.status === null ? 'Google Data Manager could not be reached.' : `HTTP ${seen.status}`,
        details: [],
      } satisfies Attempt;
    }
    const { code, message, statusDetails = [] } = parsed.data;
    return {
      ok: false,
      code,
      httpStatus: seen.status,
      response: keptResponse({ code, message, details: statusDetails }),
      details: statusDetails,
    } satisfies Attempt;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** The event indexes a BadRequest names (`events[3].ad_identifiers.gclid`, also `events.events[3]...`). */
function violatedIndexes(details: unknown[]): Map<number, string[]> {
  const byIndex = new Map<number, string[]>();
  for (const detail of details) {
    const badRequest = badRequestSchema.safeParse(detail);
    if (!badRequest.success) continue;
    for (const violation of badRequest.data.fieldViolations) {
      const match = /(?:^|\.)events\[(\d+)\]/.exec(violation.field ?? '');
      if (!match) continue;
      const index = Number(match[1]);
      byIndex.set(index, [
        ...(byIndex.get(index) ?? []),
        `${violation.field}: ${violation.description ?? ''}`,
      ]);
    }
  }
  return byIndex;
}

function retryAfterMs(details: unknown[]): number | undefined {
  for (const detail of details) {
    const info = retryInfoSchema.safeParse(detail);
    if (info.success) {
      return (info.data.retryDelay.seconds ?? 0) * 1000 + Math.round((info.data.retryDelay.nanos ?? 0) / 1e6);
    }
  }
  return undefined;
}

function outcomesOf(events: ForwardedEvent[], attempt: Attempt): EventOutcome[] {
  if (attempt.ok) {
    const response = keptResponse({ requestId: attempt.requestId });
    return events.map((event) => ({
      deliveryId: event.deliveryId,
      result: 'sent',
      httpStatus: attempt.httpStatus,
      response,
    }));
  }
  const { code, httpStatus } = attempt;
  const authFailed =
    code === GRPC.UNAUTHENTICATED ||
    code === GRPC.PERMISSION_DENIED ||
    httpStatus === 401 ||
    httpStatus === 403;
  const transient =
    code === null ||
    code === GRPC.RESOURCE_EXHAUSTED ||
    code === GRPC.UNAVAILABLE ||
    code === GRPC.INTERNAL ||
    code === GRPC.DEADLINE_EXCEEDED ||
    httpStatus === 429 ||
    (httpStatus !== null && httpStatus >= 500);
  const result = authFailed ? 'auth_failed' : transient ? 'retry' : 'rejected';
  const delay = result === 'retry' ? retryAfterMs(attempt.details) : undefined;
  return events.map((event) => ({
    deliveryId: event.deliveryId,
    result,
    httpStatus,
    response: attempt.response,
    ...(delay === undefined ? {} : { retryAfterMs: delay }),
  }));
}

export const googleDataManagerSender: ConversionSender = {
  platform: 'google',
  maxBatchSize: 2000,
  acceptsRetractions: false,
  needsClickId: (ids) => Boolean(ids.gclid || ids.gbraid || ids.wbraid),
  async send(events: ForwardedEvent[], context: SendContext): Promise<EventOutcome[]> {
    const accountId = context.connection.accountId?.replace(/-/g, '');
    const actionId = context.settings.conversionActionId;
    const refused = (list: ForwardedEvent[], response: string): EventOutcome[] =>
      list.map((event) => ({ deliveryId: event.deliveryId, result: 'rejected', httpStatus: null, response }));
    // The outbox should not hand these over (acceptsRetractions is false); if it does, say why here.
    const retractions = events.filter((event) => event.kind === 'retraction');
    const conversions = events.filter((event) => event.kind === 'conversion');
    const skipped = refused(retractions, 'The Data Manager API takes no retractions.');
    if (!accountId)
      return [...skipped, ...refused(conversions, 'The connection has no Google Ads customer id.')];
    if (!actionId)
      return [...skipped, ...refused(conversions, 'The destination has no conversion action id.')];
    if (conversions.length === 0) return skipped;

    const first = await ingest(conversions, context, accountId, actionId);
    if (first.ok || first.code !== GRPC.INVALID_ARGUMENT)
      return [...skipped, ...outcomesOf(conversions, first)];
    const violated = violatedIndexes(first.details);
    if (violated.size === 0) return [...skipped, ...outcomesOf(conversions, first)];

    const rejected = conversions.flatMap((event, index): EventOutcome[] => {
      const violations = violated.get(index);
      return violations
        ? [
            {
              deliveryId: event.deliveryId,
              result: 'rejected',
              httpStatus: first.httpStatus,
              response: keptResponse({ violations, error: first.response }),
            },
          ]
        : [];
    });
    const rest = conversions.filter((_, index) => !violated.has(index));
    if (rest.length === 0) return [...skipped, ...rejected];
    const second = await ingest(rest, context, accountId, actionId);
    // Once only: a second refusal naming other events parks those and leaves the rest to the outbox.
    if (!second.ok && second.code === GRPC.INVALID_ARGUMENT) {
      const again = violatedIndexes(second.details);
      if (again.size > 0) {
        return [
          ...skipped,
          ...rejected,
          ...rest.map((event, index): EventOutcome => {
            const violations = again.get(index);
            return violations
              ? {
                  deliveryId: event.deliveryId,
                  result: 'rejected',
                  httpStatus: second.httpStatus,
                  response: keptResponse({ violations, error: second.response }),
                }
              : {
                  deliveryId: event.deliveryId,
                  result: 'retry',
                  httpStatus: second.httpStatus,
                  response: 'Refused with other events of the batch; sent again on its own later.',
                };
          }),
        ];
      }
    }
    return [...skipped, ...rejected, ...outcomesOf(rest, second)];
  },
};
