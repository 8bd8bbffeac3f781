import { formatDecimalAmount } from '@tas/shared/money';
import {
  type ConversionSender,
  type EventOutcome,
  type ForwardedEvent,
  keptResponse,
  type SendContext,
} from '../ad-platform.ts';
import { callTikTok, classifyTikTokCode, tiktokApiUrl } from './tiktok-api.ts';

const DEFAULT_EVENT_NAME = 'CompletePayment';
const MAX_BATCH_SIZE = 1_000;

/*
 * A parameter error refuses the whole batch without saying which event caused it, so the sender
 * halves the batch until it finds the culprits. One bad event among 1,000 costs about 20 requests;
 * a batch where every event is bad would cost 2n - 1, so past this many requests in one send the
 * undecided events are left to a later attempt instead.
 */
const MAX_REQUESTS_PER_SEND = 64;

/** One event as TikTok's Events API 2.0 takes it (`data[]` of `POST /event/track/`). */
export type TikTokEventPayload = {
  event: string;
  event_time: number;
  event_id: string;
  user: {
    ttclid?: string;
    email?: string;
    phone?: string;
    ip?: string;
    user_agent?: string;
  };
  properties: {
    value?: number;
    currency?: string;
    order_id?: string;
    content_type: 'product';
  };
  page?: { url: string };
};

export function tiktokEventPayload(event: ForwardedEvent, context: SendContext): TikTokEventPayload {
  const { clickIds, userData } = event;
  return {
    event: context.settings.eventName ?? (event.eventName || DEFAULT_EVENT_NAME),
    event_time: Math.floor(event.occurredAt.getTime() / 1000),
    event_id: event.eventId,
    user: {
      ...(clickIds.ttclid ? { ttclid: clickIds.ttclid } : {}),
      // Hashed at the edge already; TikTok wants the phone in E.164 before hashing.
      ...(userData.email ? { email: userData.email } : {}),
      ...(userData.phoneE164 ? { phone: userData.phoneE164 } : {}),
      ...(event.ip ? { ip: event.ip } : {}),
      ...(event.userAgent ? { user_agent: event.userAgent } : {}),
    },
    properties: {
      ...(event.valueMinor !== null && event.currency
        ? { value: Number(formatDecimalAmount(event.valueMinor, event.currency)), currency: event.currency }
        : {}),
      ...(event.txid ? { order_id: event.txid } : {}),
      content_type: 'product',
    },
    ...(event.sourceUrl ? { page: { url: event.sourceUrl } } : {}),
  };
}

const outcomesFor = (
  events: ForwardedEvent[],
  result: EventOutcome['result'],
  httpStatus: number | null,
  response: string,
): EventOutcome[] => events.map((e) => ({ deliveryId: e.deliveryId, result, httpStatus, response }));

/**
 * Conversions to TikTok's Events API 2.0 (`POST /open_api/v1.3/event/track/`, `Access-Token`
 * header), as web events of the destination's pixel. TikTok dedupes on `event_id` per pixel, so a
 * retried event is not counted twice.
 */
export const tiktokConversionSender: ConversionSender = {
  platform: 'tiktok',
  maxBatchSize: MAX_BATCH_SIZE,
  acceptsRetractions: false,
  needsClickId: (ids) => Boolean(ids.ttclid),

  async send(events, context) {
    const outcomes: EventOutcome[] = [];
    const retractions = events.filter((e) => e.kind === 'retraction');
    outcomes.push(...outcomesFor(retractions, 'rejected', null, 'TikTok takes no retractions.'));
    const conversions = events.filter((e) => e.kind === 'conversion');
    const pixelCode = context.settings.pixelCode;
    if (!pixelCode) {
      outcomes.push(
        ...outcomesFor(conversions, 'rejected', null, 'The destination has no TikTok pixel code.'),
      );
      return outcomes;
    }
    const url = tiktokApiUrl(context.endpoints.tiktokUrl, '/event/track/');
    let requestsLeft = MAX_REQUESTS_PER_SEND;

    const deliver = async (batch: ForwardedEvent[]): Promise<void> => {
      if (requestsLeft === 0) {
        outcomes.push(
          ...outcomesFor(
            batch,
            'retry',
            null,
            'Not sent: TikTok refused the batch and the search for the bad event stopped.',
          ),
        );
        return;
      }
      requestsLeft -= 1;
      const answer = await callTikTok(
        {
          method: 'POST',
          url,
          accessToken: context.connection.credentials.accessToken,
          body: {
            event_source: 'web',
            event_source_id: pixelCode,
            ...(context.testEventCode ? { test_event_code: context.testEventCode } : {}),
            data: batch.map((e) => tiktokEventPayload(e, context)),
          },
        },
        context,
      );
      if (answer.kind === 'unreachable') {
        outcomes.push(...outcomesFor(batch, 'retry', null, answer.message));
        return;
      }
      if (answer.kind === 'http_error') {
        // TikTok answers its errors with HTTP 200; anything else is a gateway in front of it.
        const refused = answer.httpStatus === 401 || answer.httpStatus === 403;
        outcomes.push(
          ...outcomesFor(
            batch,
            refused ? 'auth_failed' : 'retry',
            answer.httpStatus,
            keptResponse(answer.body),
          ),
        );
        return;
      }
      const response = keptResponse(answer.envelope);
      switch (classifyTikTokCode(answer.envelope.code)) {
        case 'ok':
          outcomes.push(...outcomesFor(batch, 'sent', answer.httpStatus, response));
          return;
        case 'auth':
          outcomes.push(...outcomesFor(batch, 'auth_failed', answer.httpStatus, response));
          return;
        case 'rate_limited':
        case 'unavailable':
          outcomes.push(...outcomesFor(batch, 'retry', answer.httpStatus, response));
          return;
        case 'invalid':
          // The request itself was refused (the pixel, the permission): every event in it alike.
          outcomes.push(...outcomesFor(batch, 'rejected', answer.httpStatus, response));
          return;
        case 'parameter_error': {
          if (batch.length === 1) {
            outcomes.push(...outcomesFor(batch, 'rejected', answer.httpStatus, response));
            return;
          }
          const half = Math.ceil(batch.length / 2);
          // One half after the other: a burst of parallel halves would meet TikTok's rate limit.
          await deliver(batch.slice(0, half));
          await deliver(batch.slice(half));
          return;
        }
      }
    };

    for (let start = 0; start < conversions.length; start += MAX_BATCH_SIZE) {
      await deliver(conversions.slice(start, start + MAX_BATCH_SIZE));
    }
    return outcomes;
  },
};
