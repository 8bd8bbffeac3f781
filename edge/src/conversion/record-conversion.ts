import { conversionIdFor, statusUpdateIdFor } from '@tas/shared/conversion-id';
import {
  type ConversionEvent,
  type ConversionStatusEvent,
  conversionStatusSchema,
  type EventEnvelope,
} from '@tas/shared/events';
import type { FraudFlag } from '@tas/shared/fraud-rules';
import { ipInRanges, parseIpRange } from '@tas/shared/ip-match';
import { currencySchema, parseDecimalAmount } from '@tas/shared/money';
import { hasCaps, reserveCaps } from '../caps/cap-scope.ts';
import { configStore } from '../config/config-store.ts';
import { dedupeShardName } from '../dedupe/conversion-dedupe.ts';
import { ApiError } from '../http/api-error.ts';
import type { ClientInfo } from '../http/client-info.ts';
import type { Bindings, Settings } from '../settings.ts';
import { postbackSecretMatches } from './postback-secret.ts';

export type ConversionRequest = {
  clickId: string | null;
  event: string | null;
  amount: string | null;
  currency: string | null;
  txid: string | null;
  status: string | null;
  /** Postbacks only: the secret presented by the advertiser. */
  secret: string | null;
  source: ConversionEvent['source'];
  /** Pixels only: the offer the pixel belongs to; a click id of another offer is refused. */
  pixelOfferId?: number;
};

export type ConversionOutcome = {
  status: 'accepted' | 'duplicate';
  conversionId: string;
  capped: boolean;
  /** A duplicate postback carrying a status: the change was queued for the stored conversion. */
  statusUpdateQueued: boolean;
};

const CLICK_ID_ERRORS = {
  malformed: 'The click id is malformed.',
  unknown_key: 'The click id was signed with an unknown key.',
  key_retired: 'The click id was signed with a key that has been retired.',
  bad_signature: 'The click id signature does not match.',
  from_future: 'The click id claims a click time in the future.',
} as const;

/**
 * A conversion from a postback or a pixel, from the click id to the queued event. Counted exactly
 * once: with a txid, the conversion id is derived from (offer, event, txid) and claimed in a
 * Durable Object, so concurrent duplicates are answered "duplicate"; and "accepted" is only said
 * once the event is in the Queue (if queueing fails the claim is given back and the caller gets a
 * 503 to retry).
 */
export async function recordConversion(
  env: Bindings,
  settings: Settings,
  client: ClientInfo,
  input: ConversionRequest,
): Promise<ConversionOutcome> {
  if (input.clickId === null)
    throw new ApiError('invalid_click_id', 'click_id (or transaction_id) is required.');
  const now = new Date();
  const verified = await settings.clickIds.verify(input.clickId, now);
  if (!verified.ok) throw new ApiError('invalid_click_id', CLICK_ID_ERRORS[verified.error]);
  const click = verified.click;
  if (input.pixelOfferId !== undefined && input.pixelOfferId !== click.offerId) {
    throw new ApiError('invalid_click_id', 'The click id belongs to another offer.');
  }

  const offer = await configStore(env.CONFIG, settings.configCacheTtlMs).offer(click.offerId);
  if (!offer) throw new ApiError('unknown_offer', `Offer ${click.offerId} does not exist or is not live.`);
  if (input.source === 'postback') {
    if (
      offer.postbackSecretSha256 !== null &&
      !(await postbackSecretMatches(input.secret, offer.postbackSecretSha256))
    ) {
      throw new ApiError('unauthorized', 'This offer requires its postback secret.');
    }
    if (offer.postbackIpAllowlist.length > 0) {
      const ranges = offer.postbackIpAllowlist.flatMap((text) => parseIpRange(text) ?? []);
      if (client.ip === null || !ipInRanges(client.ip, ranges)) {
        throw new ApiError(
          'unauthorized',
          'Postbacks for this offer are accepted only from its allowed addresses.',
        );
      }
    }
  }

  const event = input.event ?? offer.defaultEvent;
  if (!offer.events.includes(event))
    throw new ApiError('unknown_event', `Offer ${offer.id} has no event "${event}".`);
  const ageSeconds = (now.getTime() - click.clickedAt.getTime()) / 1000;
  // Judged after the duplicate check: a late status change (a chargeback weeks later) of a
  // conversion counted in time is still taken; a new conversion out of the window is not.
  const windowExpired = () =>
    new ApiError(
      'attribution_window_expired',
      `The click is older than the offer's ${offer.attributionWindowHours} h attribution window.`,
    );
  const expired = ageSeconds > offer.attributionWindowHours * 3600;
  const currencyParsed = currencySchema.safeParse(input.currency?.toUpperCase() ?? offer.currency);
  if (!currencyParsed.success) throw new ApiError('invalid_parameter', 'currency must be an ISO 4217 code.');
  const currency = currencyParsed.data;
  let amountMinor: number | null = null;
  if (input.amount !== null) {
    const amount = parseDecimalAmount(input.amount, currency);
    if (!amount.ok)
      throw new ApiError('invalid_amount', `amount "${input.amount}" is not a valid ${currency} amount.`);
    amountMinor = amount.amountMinor;
  }
  const status = input.status === null ? null : conversionStatusSchema.safeParse(input.status.toLowerCase());
  if (status && !status.success)
    throw new ApiError('invalid_parameter', 'status must be pending, approved or rejected.');
  if (input.txid !== null && input.txid.length > 255)
    throw new ApiError('invalid_parameter', 'txid is longer than 255 characters.');

  if (expired && input.txid === null) throw windowExpired();
  const conversionId = await conversionIdFor({ offerId: offer.id, event, txid: input.txid });
  const dedupe =
    input.txid === null ? null : env.DEDUPE.get(env.DEDUPE.idFromName(dedupeShardName(conversionId)));
  if (dedupe && !(await dedupe.claim({ conversionId, nowMs: now.getTime() })).first) {
    // The advertiser may move a counted conversion later (pending -> approved, or a chargeback
    // -> rejected) by posting it back again with a status; a pixel cannot.
    const queued =
      input.source === 'postback' && status?.success
        ? await queueStatusUpdate(env, {
            conversionId,
            clickId: input.clickId,
            offerId: offer.id,
            status: status.data,
            now,
          })
        : false;
    return { status: 'duplicate', conversionId, capped: false, statusUpdateQueued: queued };
  }
  if (expired) {
    await dedupe?.release({ conversionId });
    throw windowExpired();
  }

  const flags: FraudFlag[] = [];
  if (offer.fraud.minSecondsToConvert !== null && ageSeconds < offer.fraud.minSecondsToConvert)
    flags.push('conversion_too_fast');
  if (offer.fraud.maxSecondsToConvert !== null && ageSeconds > offer.fraud.maxSecondsToConvert)
    flags.push('conversion_too_slow');
  let capped = false;
  let releaseCaps = async () => {};
  try {
    if (hasCaps(offer, click.affiliateId, 'conversions')) {
      const reservation = await reserveCaps(env.CAPS, offer, click.affiliateId, 'conversions', now);
      capped = !reservation.ok;
      releaseCaps = reservation.release;
    }
    const conversion: ConversionEvent = {
      type: 'conversion',
      id: conversionId,
      occurredAt: now.toISOString(),
      clickId: input.clickId,
      clickedAt: click.clickedAt.toISOString(),
      offerId: click.offerId,
      affiliateId: click.affiliateId,
      event,
      amountMinor,
      currency: amountMinor === null ? null : currency,
      txid: input.txid,
      advertiserStatus: status?.success ? status.data : null,
      source: input.source,
      fraudFlags: flags,
      reason: capped ? 'cap_reached' : null,
      ip: client.ip,
      userAgent: client.userAgent,
    };
    await env.EVENTS.send({ events: [conversion] } satisfies EventEnvelope);
  } catch (error) {
    console.error(JSON.stringify({ msg: 'conversion not recorded', conversionId, error: String(error) }));
    // Give back what this attempt took, so the advertiser's retry is judged afresh.
    await Promise.all([dedupe?.release({ conversionId }), releaseCaps()]).catch(() => {});
    throw new ApiError('service_unavailable', 'The conversion could not be recorded; retry later.');
  }
  return { status: 'accepted', conversionId, capped, statusUpdateQueued: false };
}

async function queueStatusUpdate(
  env: Bindings,
  update: {
    conversionId: string;
    clickId: string;
    offerId: number;
    status: ConversionStatusEvent['status'];
    now: Date;
  },
): Promise<true> {
  const event: ConversionStatusEvent = {
    type: 'conversion_status',
    id: await statusUpdateIdFor(update.conversionId, update.status),
    occurredAt: update.now.toISOString(),
    conversionId: update.conversionId,
    clickId: update.clickId,
    offerId: update.offerId,
    status: update.status,
  };
  try {
    await env.EVENTS.send({ events: [event] } satisfies EventEnvelope);
  } catch (error) {
    console.error(
      JSON.stringify({
        msg: 'status update not recorded',
        conversionId: update.conversionId,
        error: String(error),
      }),
    );
    throw new ApiError('service_unavailable', 'The status update could not be recorded; retry later.');
  }
  return true;
}
