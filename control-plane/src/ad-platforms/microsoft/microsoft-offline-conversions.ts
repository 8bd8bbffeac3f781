import { formatDecimalAmount } from '@tas/shared/money';
import { z } from 'zod';
import {
  type ConversionSender,
  type EventOutcome,
  type ForwardedEvent,
  keptResponse,
  type SendContext,
} from '../ad-platform.ts';
import {
  callMicrosoftAds,
  type MicrosoftAccount,
  microsoftAccountOf,
  microsoftErrorSchema,
} from './microsoft-api.ts';

const MAX_BATCH_SIZE = 1_000;

/** Microsoft's dateTime in UTC, to the second: the same conversion gives the same text on every attempt. */
const utcSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** One OfflineConversion as ApplyOfflineConversions takes it. */
export function offlineConversionOf(event: ForwardedEvent, conversionName: string) {
  return {
    ConversionName: conversionName,
    ConversionTime: utcSeconds(event.occurredAt),
    ...(event.valueMinor !== null && event.currency
      ? {
          ConversionValue: Number(formatDecimalAmount(event.valueMinor, event.currency)),
          ConversionCurrencyCode: event.currency,
        }
      : {}),
    MicrosoftClickId: event.clickIds.msclkid,
    // Hashed at the edge: the email trimmed and lowercased, the phone in E.164, as Microsoft asks.
    ...(event.userData.email ? { HashedEmailAddress: event.userData.email } : {}),
    ...(event.userData.phoneE164 ? { HashedPhoneNumber: event.userData.phoneE164 } : {}),
  };
}

/**
 * One OfflineConversionAdjustment retracting a conversion sent earlier: Microsoft finds it by
 * its name, click id and original time; the adjustment time may not be before that time.
 */
export function retractionOf(event: ForwardedEvent, conversionName: string, now: Date) {
  return {
    AdjustmentType: 'Retract',
    AdjustmentTime: utcSeconds(now < event.occurredAt ? event.occurredAt : now),
    ConversionName: conversionName,
    ConversionTime: utcSeconds(event.occurredAt),
    MicrosoftClickId: event.clickIds.msclkid,
  };
}

const applyResponseSchema = z.object({
  PartialErrors: z.array(microsoftErrorSchema).nullish(),
});

const outcomesFor = (
  events: ForwardedEvent[],
  result: EventOutcome['result'],
  httpStatus: number | null,
  response: string,
  retryAfterMs?: number,
): EventOutcome[] =>
  events.map((e) => ({
    deliveryId: e.deliveryId,
    result,
    httpStatus,
    response,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  }));

/** Each event's outcome from the errors Microsoft tied to an index of the request; the others as `others`. */
function byIndex(
  events: ForwardedEvent[],
  errors: z.infer<typeof microsoftErrorSchema>[],
  httpStatus: number,
  others: { result: EventOutcome['result']; response: string },
): EventOutcome[] {
  const errorsAt = new Map<number, z.infer<typeof microsoftErrorSchema>[]>();
  for (const error of errors) {
    if (error.Index === null || error.Index === undefined) continue;
    errorsAt.set(error.Index, [...(errorsAt.get(error.Index) ?? []), error]);
  }
  return events.map((event, i) => {
    const own = errorsAt.get(i);
    return own
      ? { deliveryId: event.deliveryId, result: 'rejected', httpStatus, response: keptResponse(own) }
      : { deliveryId: event.deliveryId, ...others, httpStatus };
  });
}

async function apply(
  kind: ForwardedEvent['kind'],
  batch: ForwardedEvent[],
  conversionName: string,
  account: MicrosoftAccount,
  context: SendContext,
): Promise<EventOutcome[]> {
  const now = new Date();
  const answer = await callMicrosoftAds(
    kind === 'conversion'
      ? {
          method: 'POST',
          operation: '/OfflineConversions/Apply',
          body: { OfflineConversions: batch.map((e) => offlineConversionOf(e, conversionName)) },
        }
      : {
          method: 'POST',
          operation: '/OfflineConversionAdjustments/Apply',
          body: { OfflineConversionAdjustments: batch.map((e) => retractionOf(e, conversionName, now)) },
        },
    account,
    context,
  );
  if (answer.kind === 'unreachable') return outcomesFor(batch, 'retry', null, answer.message);
  if (answer.kind === 'ok') {
    const parsed = applyResponseSchema.safeParse(answer.body);
    if (!parsed.success) {
      // Microsoft took the request (2xx); an answer we cannot read must not send it again.
      return outcomesFor(batch, 'sent', answer.httpStatus, keptResponse(answer.body));
    }
    const partialErrors = parsed.data.PartialErrors ?? [];
    return byIndex(batch, partialErrors, answer.httpStatus, {
      result: 'sent',
      response: keptResponse(answer.body),
    });
  }
  const response = keptResponse(answer.body);
  switch (answer.meaning) {
    case 'auth':
      return outcomesFor(batch, 'auth_failed', answer.httpStatus, response);
    case 'rate_limited':
    case 'unavailable':
      return outcomesFor(batch, 'retry', answer.httpStatus, response, answer.retryAfterMs);
    case 'invalid': {
      const batchErrors = answer.fault?.BatchErrors ?? [];
      // Items named by a batch error are refused; the rest did not go because of them.
      if (batchErrors.some((e) => e.Index !== null && e.Index !== undefined)) {
        return byIndex(batch, batchErrors, answer.httpStatus, { result: 'retry', response });
      }
      return outcomesFor(batch, 'rejected', answer.httpStatus, response);
    }
  }
}

/**
 * Conversions to Microsoft Advertising as offline conversions of the destination's offline
 * conversion goal (ApplyOfflineConversions, by msclkid), and retractions of ones sent earlier
 * (ApplyOfflineConversionAdjustments). Microsoft ignores a conversion sent again with the same
 * click id, goal and time, so a retried batch counts once.
 */
export const microsoftConversionSender: ConversionSender = {
  platform: 'microsoft',
  maxBatchSize: MAX_BATCH_SIZE,
  acceptsRetractions: true,
  needsClickId: (ids) => Boolean(ids.msclkid),

  async send(events, context) {
    const conversionName = context.settings.conversionName;
    const account = microsoftAccountOf(context);
    if (!conversionName) {
      return outcomesFor(
        events,
        'rejected',
        null,
        'The destination has no Microsoft Advertising conversion goal name.',
      );
    }
    if ('missing' in account) return outcomesFor(events, 'rejected', null, account.missing);
    const outcomes: EventOutcome[] = [];
    for (const kind of ['conversion', 'retraction'] as const) {
      const ofKind = events.filter((e) => e.kind === kind);
      for (let start = 0; start < ofKind.length; start += MAX_BATCH_SIZE) {
        outcomes.push(
          ...(await apply(
            kind,
            ofKind.slice(start, start + MAX_BATCH_SIZE),
            conversionName,
            account,
            context,
          )),
        );
      }
    }
    return outcomes;
  },
};
