import { createHash } from 'node:crypto';
import { formatDecimalAmount } from '@tas/shared/money';
import { z } from 'zod';
import type { ConversionSender, EventOutcome, ForwardedEvent, SendContext } from '../ad-platform.ts';
import {
  keptMetaResponse,
  type MetaError,
  meaningOfMetaError,
  metaGraphUrl,
  metaRetryAfterMs,
} from './meta-graph.ts';

/**
 * Meta's Conversions API: `POST /{version}/{pixelId}/events` with `{ data, test_event_code?,
 * access_token }`. Meta refuses a whole batch for one invalid event, so a refused batch is split
 * in halves until the refused events are found alone; the rest is sent.
 */

const MAX_BATCH_SIZE = 1_000;
// Meta refuses events whose event_time is more than 7 days old; such an event would make every
// batch holding it fail, so it is parked before anything is sent.
const MAX_EVENT_AGE_MS = 7 * 24 * 3600_000;
// A batch with many refused events costs about two requests per event to take apart; past this
// many requests the events not yet settled are retried later instead of holding the outbox.
const MAX_REQUESTS_PER_SEND = 64;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Meta's accepted answer. */
export const metaEventsResponseSchema = z.object({
  events_received: z.number().int().nonnegative(),
  messages: z.array(z.unknown()).optional(),
  fbtrace_id: z.string().optional(),
});

type MetaUserData = {
  em?: string[];
  ph?: string[];
  external_id?: string[];
  client_ip_address?: string;
  client_user_agent?: string;
  country?: string[];
  fbc?: string;
};
type MetaCustomData = { value?: number; currency?: string; order_id?: string };
/** One event as Meta takes it (server event parameters); absent fields are left out, never null. */
export type MetaServerEvent = {
  event_name: string;
  event_time: number;
  event_id: string;
  action_source: 'website';
  event_source_url?: string;
  user_data: MetaUserData;
  custom_data?: MetaCustomData;
};

/** The event Meta is sent for one conversion. */
export function metaServerEvent(
  event: ForwardedEvent,
  context: Pick<SendContext, 'settings'>,
): MetaServerEvent {
  const user: MetaUserData = {};
  // Email and phone come hashed with Meta's normalisation from the edge; the ip and user agent
  // go in clear (Meta matches on them and refuses them hashed); Meta wants the country hashed.
  if (event.userData.email) user.em = [event.userData.email];
  if (event.userData.phone) user.ph = [event.userData.phone];
  if (event.ip) user.client_ip_address = event.ip;
  if (event.userAgent) user.client_user_agent = event.userAgent;
  if (event.country) user.country = [sha256(event.country.toLowerCase())];
  if (event.clickIds.fbclid) user.fbc = `fb.1.${event.clickedAt.getTime()}.${event.clickIds.fbclid}`;

  const custom: MetaCustomData = {};
  if (event.valueMinor !== null && event.currency) {
    const currency = event.currency.toUpperCase();
    // Exact decimal text first: Number('12.34') prints back as 12.34 in the JSON Meta reads.
    custom.value = Number(formatDecimalAmount(event.valueMinor, currency));
    custom.currency = currency;
  }
  if (event.txid) custom.order_id = event.txid;

  return {
    event_name: context.settings.eventName ?? (event.eventName || 'Purchase'),
    event_time: Math.floor(event.occurredAt.getTime() / 1000),
    event_id: event.eventId,
    action_source: 'website',
    ...(event.sourceUrl ? { event_source_url: event.sourceUrl } : {}),
    user_data: user,
    ...(Object.keys(custom).length > 0 ? { custom_data: custom } : {}),
  };
}

type Settled = Omit<EventOutcome, 'deliveryId'>;
type Answer =
  | { verdict: 'accepted'; settled: Settled }
  | { verdict: 'refused'; settled: Settled }
  | { verdict: 'stop'; settled: Settled };

async function postEvents(events: ForwardedEvent[], context: SendContext, pixelId: string): Promise<Answer> {
  const token = context.connection.credentials.accessToken;
  let response: Response;
  try {
    response = await context.fetch(metaGraphUrl(context.endpoints.metaGraphUrl, `${pixelId}/events`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        data: events.map((event) => metaServerEvent(event, context)),
        ...(context.testEventCode ? { test_event_code: context.testEventCode } : {}),
        access_token: token,
      }),
      signal: AbortSignal.timeout(context.timeoutMs),
    });
  } catch (error) {
    const why =
      error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    return { verdict: 'stop', settled: { result: 'retry', httpStatus: null, response: `Meta ${why}` } };
  }
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's page): kept as text.
  }
  const kept = keptMetaResponse(body, token);
  const httpStatus = response.status;
  if (response.ok) {
    return metaEventsResponseSchema.safeParse(body).success
      ? { verdict: 'accepted', settled: { result: 'sent', httpStatus, response: kept } }
      : { verdict: 'stop', settled: { result: 'retry', httpStatus, response: kept } };
  }
  const meaning = meaningOfMetaError(httpStatus, body);
  switch (meaning.kind) {
    case 'auth':
      return { verdict: 'stop', settled: { result: 'auth_failed', httpStatus, response: kept } };
    case 'rate_limited':
      return {
        verdict: 'stop',
        settled: {
          result: 'retry',
          httpStatus,
          response: kept,
          retryAfterMs: metaRetryAfterMs(response.headers),
        },
      };
    case 'unavailable':
      return { verdict: 'stop', settled: { result: 'retry', httpStatus, response: kept } };
    case 'invalid':
      if (meaning.error && pixelUnreachable(meaning.error)) {
        return { verdict: 'stop', settled: { result: 'auth_failed', httpStatus, response: kept } };
      }
      // Only Meta's own error body says an event was refused; anything else is not the events' doing.
      return meaning.error
        ? { verdict: 'refused', settled: { result: 'rejected', httpStatus, response: kept } }
        : { verdict: 'stop', settled: { result: 'retry', httpStatus, response: kept } };
  }
}

// 100/33: the pixel does not exist or the token may not use it, whatever the events hold.
const pixelUnreachable = (error: MetaError) => error.code === 100 && error.error_subcode === 33;

export const metaConversionSender: ConversionSender = {
  platform: 'meta',
  maxBatchSize: MAX_BATCH_SIZE,
  acceptsRetractions: false,
  // TAS forwards to Meta only the clicks that came from Meta.
  needsClickId: (ids) => Boolean(ids.fbclid),

  async send(events, context) {
    const outcomes: EventOutcome[] = [];
    const settle = (batch: ForwardedEvent[], settled: Settled) => {
      for (const event of batch) outcomes.push({ deliveryId: event.deliveryId, ...settled });
    };

    const pixelId: string | undefined = context.settings.pixelId;
    if (!pixelId) {
      settle(events, {
        result: 'rejected',
        httpStatus: null,
        response: 'The destination has no Meta pixel id.',
      });
      return outcomes;
    }

    const oldest = Date.now() - MAX_EVENT_AGE_MS;
    const sendable: ForwardedEvent[] = [];
    for (const event of events) {
      if (event.kind === 'retraction') {
        settle([event], { result: 'rejected', httpStatus: null, response: 'Meta takes no retractions.' });
      } else if (event.occurredAt.getTime() < oldest) {
        settle([event], {
          result: 'rejected',
          httpStatus: null,
          response: 'Meta takes events up to 7 days old; this one is older.',
        });
      } else {
        sendable.push(event);
      }
    }

    const pixel = pixelId;
    let requests = 0;
    let stopped: Settled | null = null;

    /**
     * Sends a batch, or takes it apart when Meta refused it. `knownRefusal`: the batch holds a
     * refused event for sure (its parent was refused, its sibling accepted), so it is split
     * without being sent whole. Answers whether the batch went in one accepted request.
     */
    async function deliver(batch: ForwardedEvent[], knownRefusal: Settled | null): Promise<boolean> {
      if (batch.length === 0) return true;
      if (stopped) {
        settle(batch, stopped);
        return false;
      }
      let answer: Answer;
      if (knownRefusal) {
        answer = { verdict: 'refused', settled: knownRefusal };
      } else if (requests >= MAX_REQUESTS_PER_SEND) {
        settle(batch, {
          result: 'retry',
          httpStatus: null,
          response: `Not sent: Meta refused a batch holding it and the search for the refused events stopped after ${requests} requests.`,
        });
        return false;
      } else {
        requests++;
        answer = await postEvents(batch, context, pixel);
      }
      if (answer.verdict === 'accepted') {
        settle(batch, answer.settled);
        return true;
      }
      if (answer.verdict === 'stop') {
        stopped = answer.settled;
        settle(batch, answer.settled);
        return false;
      }
      if (batch.length === 1) {
        settle(batch, answer.settled);
        return false;
      }
      const middle = Math.ceil(batch.length / 2);
      const firstWent = await deliver(batch.slice(0, middle), null);
      await deliver(batch.slice(middle), firstWent ? answer.settled : null);
      return false;
    }

    for (let start = 0; start < sendable.length; start += MAX_BATCH_SIZE) {
      await deliver(sendable.slice(start, start + MAX_BATCH_SIZE), null);
    }
    return outcomes;
  },
};
