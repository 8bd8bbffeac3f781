import { formatDecimalAmount } from '@tas/shared/money';
import { z } from 'zod';
import {
  type ConversionSender,
  type EventOutcome,
  type ForwardedEvent,
  keptResponse,
  type PlatformClickIds,
  type SendContext,
} from '../ad-platform.ts';
import {
  type GoogleAdsCall,
  type GoogleAdsError,
  googleAdsCallOf,
  googleAdsErrorsOf,
  googleAdsStatusSchema,
  postGoogleAds,
} from './google-ads-api.ts';

/**
 * Conversions by the Google Ads API's offline click-conversion upload, for accounts Google still
 * lets use it (new integrations are steered to the Data Manager API, google-data-manager.ts).
 * Unlike Data Manager it reports errors per conversion (`partialFailure: true`) and it takes
 * retractions, as conversion adjustments matched by the order id we sent.
 */

const uploadResponseSchema = z.object({
  results: z.array(z.record(z.string(), z.unknown())).optional(),
  partialFailureError: googleAdsStatusSchema.optional(),
});

/** `2026-11-30 01:38:03+00:00`: Google Ads' date-time, always given in UTC here. */
export function googleAdsDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

// Google refuses a conversion carrying more than one of them; gclid is the most precise.
function clickIdOf(
  ids: PlatformClickIds,
): { gclid: string } | { gbraid: string } | { wbraid: string } | null {
  if (ids.gclid) return { gclid: ids.gclid };
  if (ids.gbraid) return { gbraid: ids.gbraid };
  if (ids.wbraid) return { wbraid: ids.wbraid };
  return null;
}

function clickConversionOf(event: ForwardedEvent, conversionAction: string) {
  const identifiers = [
    ...(event.userData.emailGoogle ? [{ hashedEmail: event.userData.emailGoogle }] : []),
    ...(event.userData.phoneE164 ? [{ hashedPhoneNumber: event.userData.phoneE164 }] : []),
  ].map((identifier) => ({ ...identifier, userIdentifierSource: 'FIRST_PARTY' }));
  return {
    ...clickIdOf(event.clickIds),
    conversionAction,
    conversionDateTime: googleAdsDateTime(event.occurredAt),
    ...(event.valueMinor !== null && event.currency
      ? {
          conversionValue: Number(formatDecimalAmount(event.valueMinor, event.currency)),
          currencyCode: event.currency,
        }
      : {}),
    orderId: event.eventId,
    ...(event.consent ? { consent: { adUserData: event.consent === 'granted' ? 'GRANTED' : 'DENIED' } } : {}),
    ...(identifiers.length > 0 ? { userIdentifiers: identifiers } : {}),
  };
}

/** Which operations a partial failure names: `location.fieldPathElements[0]` is the list and index. */
function errorsByIndex(errors: GoogleAdsError[], listNames: string[]): Map<number, GoogleAdsError[]> {
  const byIndex = new Map<number, GoogleAdsError[]>();
  for (const error of errors) {
    const first = error.location?.fieldPathElements?.[0];
    if (!first || first.index === undefined || !listNames.includes(first.fieldName)) continue;
    byIndex.set(first.index, [...(byIndex.get(first.index) ?? []), error]);
  }
  return byIndex;
}

async function upload(
  events: ForwardedEvent[],
  call: GoogleAdsCall,
  method: string,
  listNames: string[],
  body: Record<string, unknown>,
): Promise<EventOutcome[]> {
  const answer = await postGoogleAds(call, method, body);
  if (!answer.ok) {
    const { failure } = answer;
    const result =
      failure.kind === 'auth'
        ? 'auth_failed'
        : failure.kind === 'rate_limited' || failure.kind === 'unavailable'
          ? 'retry'
          : 'rejected';
    return events.map((event) => ({
      deliveryId: event.deliveryId,
      result,
      httpStatus: failure.httpStatus,
      response: failure.response,
      ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
    }));
  }
  const parsed = uploadResponseSchema.safeParse(answer.body);
  if (!parsed.success) {
    // Google took the request (2xx) but the answer is not the documented one: the events may have
    // landed, and a resend is deduplicated by the order id, so retrying is safe.
    return events.map((event) => ({
      deliveryId: event.deliveryId,
      result: 'retry',
      httpStatus: answer.httpStatus,
      response: keptResponse({ unexpectedAnswer: answer.body }),
    }));
  }
  const failures = parsed.data.partialFailureError
    ? errorsByIndex(googleAdsErrorsOf(parsed.data.partialFailureError), listNames)
    : new Map<number, GoogleAdsError[]>();
  return events.map((event, index) => {
    const errors = failures.get(index);
    return errors
      ? {
          deliveryId: event.deliveryId,
          result: 'rejected',
          httpStatus: answer.httpStatus,
          response: keptResponse({ errors }),
        }
      : {
          deliveryId: event.deliveryId,
          result: 'sent',
          httpStatus: answer.httpStatus,
          response: keptResponse(parsed.data.results?.[index] ?? {}),
        };
  });
}

export const googleAdsLegacySender: ConversionSender = {
  platform: 'google',
  maxBatchSize: 2000,
  acceptsRetractions: true,
  needsClickId: (ids) => Boolean(ids.gclid || ids.gbraid || ids.wbraid),
  async send(events: ForwardedEvent[], context: SendContext): Promise<EventOutcome[]> {
    const target = googleAdsCallOf(context);
    const actionId = context.settings.conversionActionId;
    if ('error' in target || !actionId) {
      const reason = 'error' in target ? target.error : 'The destination has no conversion action id.';
      return events.map((event) => ({
        deliveryId: event.deliveryId,
        result: 'rejected',
        httpStatus: null,
        response: reason,
      }));
    }
    const { call, customerId } = target;
    const conversionAction = `customers/${customerId}/conversionActions/${actionId}`;
    const validateOnly = context.testEventCode !== null;
    const conversions = events.filter((event) => event.kind === 'conversion');
    const retractions = events.filter((event) => event.kind === 'retraction');
    const [sent, retracted] = await Promise.all([
      conversions.length === 0
        ? []
        : upload(conversions, call, `customers/${customerId}:uploadClickConversions`, ['conversions'], {
            conversions: conversions.map((event) => clickConversionOf(event, conversionAction)),
            partialFailure: true,
            validateOnly,
          }),
      retractions.length === 0
        ? []
        : upload(
            retractions,
            call,
            `customers/${customerId}:uploadConversionAdjustments`,
            ['conversion_adjustments', 'conversionAdjustments'],
            {
              conversionAdjustments: retractions.map((event) => ({
                adjustmentType: 'RETRACTION',
                conversionAction,
                orderId: event.eventId,
                // The adjustment happens now; Google wants it after the conversion, which it always is.
                adjustmentDateTime: googleAdsDateTime(new Date()),
              })),
              partialFailure: true,
              validateOnly,
            },
          ),
    ]);
    return [...sent, ...retracted];
  },
};
