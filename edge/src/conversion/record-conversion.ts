import type { AffiliateConfig } from '@tas/shared/affiliate-config';
import type { DecodedClickId } from '@tas/shared/click-id';
import { type ConsentSignals, NO_CONSENT_SIGNALS } from '@tas/shared/consent';
import { hashCustomerData } from '@tas/shared/customer-data';
import {
  type ConversionEvent,
  type ConversionRejection,
  conversionStatusSchema,
  type EventEnvelope,
} from '@tas/shared/events';
import type { FraudFlag } from '@tas/shared/fraud-rules';
import { ipInRanges, parseIpRange } from '@tas/shared/ip-match';
import { acceptedConversionSources, type OfferConfig } from '@tas/shared/offer-config';
import { effectivePrivacy } from '@tas/shared/privacy';
import { hasCaps, reserveCaps } from '../caps/cap-scope.ts';
import { configStore } from '../config/config-store.ts';
import { ApiError } from '../http/api-error.ts';
import type { ClientInfo } from '../http/client-info.ts';
import { minimiseIp } from '../privacy/minimise-ip.ts';
import { reduceUserAgent } from '../privacy/reduce-user-agent.ts';
import type { Bindings, Settings } from '../settings.ts';
import { deviceInfo } from '../visitor/device.ts';
import { claimConversion } from './conversion-claims.ts';
import { postbackSecretMatches } from './postback-secret.ts';
import { saleAmount } from './sale-amount.ts';
import { queueStatusUpdate } from './status-update.ts';

export type ConversionRequest = {
  clickId: string | null;
  event: string | null;
  amount: string | null;
  currency: string | null;
  txid: string | null;
  status: string | null;
  /** The customer's email and phone, for ad platforms: hashed here, never queued as sent. */
  email?: string | null;
  phone?: string | null;
  /** Postbacks only: the secret presented by the advertiser. */
  secret: string | null;
  source: ConversionEvent['source'];
  /** Pixels only: the offer the pixel belongs to; a click id of another offer is refused. */
  pixelOfferId?: number;
  /** The request's own consent parameters (the click's fill the gaps at ingest). */
  consent?: ConsentSignals;
};

export type ConversionOutcome = {
  status: 'accepted' | 'duplicate';
  conversionId: string;
  /** Recorded, but it cannot earn: why (cap, fallback click, affiliate no longer allowed). */
  rejection: ConversionRejection | null;
  /** A duplicate postback carrying a status: the id of the change queued for the stored conversion. */
  statusUpdateId: string | null;
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
 * once (conversion-claims.ts), and "accepted" is only said once the event is in the Queue (if
 * queueing fails the claims are given back and the caller gets a 503 to retry). Only sources the
 * offer trusts may create conversions, and whether one can earn is judged now as well as at the
 * click: a click the edge sent to the fallback, an affiliate suspended or no longer approved since,
 * give a conversion that is recorded but rejected (docs/decisions/018-counting-truth.md).
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

  const config = configStore(env.CONFIG, settings.configCacheTtlMs);
  const [offer, affiliate, network] = await Promise.all([
    config.offer(click.offerId),
    config.affiliate(click.affiliateId),
    config.network(),
  ]);
  if (!offer) throw new ApiError('unknown_offer', `Offer ${click.offerId} does not exist or is not live.`);
  await checkSource(offer, input, client);
  const privacy = effectivePrivacy(network?.privacy, offer.privacy);

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
  const status = input.status === null ? null : conversionStatusSchema.safeParse(input.status.toLowerCase());
  if (status && !status.success)
    throw new ApiError('invalid_parameter', 'status must be pending, approved or rejected.');
  if (input.txid !== null && input.txid.length > 255)
    throw new ApiError('invalid_parameter', 'txid is longer than 255 characters.');
  if (expired && input.txid === null) throw windowExpired();
  // Judged only for a new conversion: a status change (a chargeback with a negative amount, say)
  // of one counted already ignores the amount.
  const sale = () => saleAmount(input.amount, input.currency, offer.currency, network);
  if (status === null) sale();

  let rejection = rejectionAtConversionTime(offer, affiliate, click);
  const trusted = isTrusted(offer, input.source);
  const claim = await claimConversion(env, {
    offerId: offer.id,
    event,
    clickId: input.clickId,
    txid: input.txid,
    source: input.source,
    trusted,
    payable: rejection === null,
    // Out of its window a click counts nothing new; its order may still have its status changed.
    probe: expired,
    now,
  });
  if (claim.kind === 'absent') throw windowExpired();
  if (claim.kind === 'duplicate') {
    // The advertiser may move a counted conversion later (pending -> approved, or a chargeback
    // -> rejected) by posting it back again with a status; a pixel cannot, nor a postback naming
    // another click than the one that counted the order.
    const statusUpdateId =
      input.source === 'postback' && claim.sameClick && status?.success
        ? await queueStatusUpdate(env, {
            conversionId: claim.conversionId,
            clickId: input.clickId,
            offerId: offer.id,
            status: status.data,
            trusted,
            now,
          })
        : null;
    return { status: 'duplicate', conversionId: claim.conversionId, rejection: null, statusUpdateId };
  }

  let amounts: ReturnType<typeof saleAmount>;
  try {
    amounts = sale();
  } catch (error) {
    await claim.release().catch(() => {});
    throw error;
  }
  const flags: FraudFlag[] = [];
  if (offer.fraud.minSecondsToConvert !== null && ageSeconds < offer.fraud.minSecondsToConvert)
    flags.push('conversion_too_fast');
  if (offer.fraud.maxSecondsToConvert !== null && ageSeconds > offer.fraud.maxSecondsToConvert)
    flags.push('conversion_too_slow');
  if (click.bot) flags.push('bot_click');
  if (claim.contested) flags.push('txid_conflict');
  let releaseCaps = async () => {};
  try {
    // A conversion that cannot earn (or that the advertiser sends rejected) does not use up the
    // cap of those that can.
    const rejectedBySender = status?.success === true && status.data === 'rejected';
    if (rejection === null && !rejectedBySender && hasCaps(offer, click.affiliateId, 'conversions')) {
      const reservation = await reserveCaps(env.CAPS, offer, click.affiliateId, 'conversions', now);
      if (!reservation.ok) rejection = 'cap_reached';
      releaseCaps = reservation.release;
    }
    const conversion: ConversionEvent = {
      type: 'conversion',
      id: claim.conversionId,
      occurredAt: now.toISOString(),
      clickId: input.clickId,
      clickedAt: click.clickedAt.toISOString(),
      offerId: click.offerId,
      affiliateId: click.affiliateId,
      event,
      ...amounts,
      txid: input.txid,
      advertiserStatus: status?.success ? status.data : null,
      source: input.source,
      fraudFlags: flags,
      reason: rejection,
      supersedes: claim.supersedes,
      holds: claim.holds,
      // The ip allowlist has used the raw ip (checkSource); the event gets what privacy keeps.
      ip: await minimiseIp(client.ip, privacy.ipMode, settings.ipHashKey),
      userAgent: reduceUserAgent(client.userAgent, privacy.userAgentMode, deviceInfo(client.userAgent)),
      ...(input.consent ?? NO_CONSENT_SIGNALS),
      customerHashes: await hashCustomerData({ email: input.email ?? null, phone: input.phone ?? null }),
    };
    await env.EVENTS.send({ events: [conversion] } satisfies EventEnvelope);
  } catch (error) {
    console.error(
      JSON.stringify({
        msg: 'conversion not recorded',
        conversionId: claim.conversionId,
        error: String(error),
      }),
    );
    // Give back what this attempt took, so the advertiser's retry is judged afresh. If even that
    // fails, the claims' leases run out and a later retry records the same conversion.
    await Promise.all([claim.release(), releaseCaps()]).catch(() => {});
    throw new ApiError('service_unavailable', 'The conversion could not be recorded; retry later.');
  }
  // Queued: the claims are final. Should this be lost, the lease runs out and a retry queues the
  // same conversion again, which the ingest stores once.
  await claim.confirm().catch((error: unknown) => {
    console.error(
      JSON.stringify({ msg: 'claim not confirmed', conversionId: claim.conversionId, error: String(error) }),
    );
  });
  return { status: 'accepted', conversionId: claim.conversionId, rejection, statusUpdateId: null };
}

/** Server postbacks on an offer that demands a secret or an ip allowlist are trusted; pixels never. */
function isTrusted(offer: OfferConfig, source: ConversionEvent['source']): boolean {
  return (
    source === 'postback' && (offer.postbackSecretSha256 !== null || offer.postbackIpAllowlist.length > 0)
  );
}

/**
 * Refuses a request from a source the offer does not take, and a postback without the offer's
 * secret or from outside its allowlist. Pixels cannot keep a secret, so an offer that demands one
 * takes no pixels unless it says so (conversionSources).
 */
async function checkSource(offer: OfferConfig, input: ConversionRequest, client: ClientInfo) {
  const accepted = acceptedConversionSources(offer);
  if (accepted !== 'postback_and_pixel' && accepted !== input.source) {
    throw new ApiError(
      'conversion_source_refused',
      input.source === 'pixel'
        ? `Offer ${offer.id} takes conversions by server postback only.`
        : `Offer ${offer.id} takes conversions by pixel only.`,
    );
  }
  if (input.source !== 'postback') return;
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

/**
 * Whether the conversion can earn, judged now and at the click: recorded either way, so the
 * advertiser and the network see it, but rejected with its reason when it cannot.
 */
function rejectionAtConversionTime(
  offer: OfferConfig,
  affiliate: AffiliateConfig | null,
  click: DecodedClickId,
): ConversionRejection | null {
  if (!click.payable) return 'click_not_payable';
  if (affiliate?.status !== 'active') return 'affiliate_inactive';
  if (offer.visibility !== 'public' && !offer.approvedAffiliateIds.includes(click.affiliateId))
    return 'affiliate_not_approved';
  return null;
}
