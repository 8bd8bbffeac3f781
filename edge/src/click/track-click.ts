import type { AffiliateConfig } from '@tas/shared/affiliate-config';
import { storageConsented } from '@tas/shared/consent';
import type { ClickEvent } from '@tas/shared/events';
import type { FraudFlag } from '@tas/shared/fraud-rules';
import { substituteMacros } from '@tas/shared/macros';
import type { NetworkConfig } from '@tas/shared/network-config';
import type { OfferConfig } from '@tas/shared/offer-config';
import { effectivePrivacy } from '@tas/shared/privacy';
import { capsFull, hasCaps, leaseClickCaps } from '../caps/cap-scope.ts';
import { fraudShardName } from '../fraud/fraud-shard.ts';
import type { ClientInfo } from '../http/client-info.ts';
import { minimiseIp } from '../privacy/minimise-ip.ts';
import { reduceUserAgent } from '../privacy/reduce-user-agent.ts';
import { enqueueEvent } from '../queue/event-batcher.ts';
import { eventQueues } from '../queue/event-queues.ts';
import type { Bindings, Settings } from '../settings.ts';
import { blockFlags } from '../visitor/blocklist.ts';
import type { DeviceInfo } from '../visitor/device.ts';
import type { ClickParams } from './click-params.ts';
import { type ClickDecision, decideByConfiguration, fallback } from './decide-click.ts';
import { allowedDeepLink } from './deep-link.ts';
import { pickLandingPage } from './landing-page.ts';

export type TrackedClick = {
  clickId: string;
  location: string;
  event: ClickEvent;
  /** Whether the click id may be stored on the visitor's device (cookie, /t.js storage). */
  storable: boolean;
};

type Context = {
  env: Bindings;
  settings: Settings;
  waitUntil: (promise: Promise<unknown>) => void;
};

/** What a click is about, once its offer and affiliate are known to exist. */
export type ClickTarget = {
  offer: OfferConfig;
  affiliate: AffiliateConfig;
  network: NetworkConfig | null;
  params: ClickParams;
  client: ClientInfo;
  /** Parsed once from the user agent by the route (which also needs `bot`). */
  device: DeviceInfo;
};

/**
 * The whole click, decided before anything is recorded and recorded once:
 * 1. configuration (status, approval, targeting) and blocklists, in memory;
 * 2. only when the offer has a cap, or a fraud rule whose action is "fallback", the Durable
 *    Objects are consulted before answering; otherwise the fraud counters run after the answer
 *    and only add flags to the event;
 * 3. one click event is queued after the answer.
 * A bot (isbot) is recorded too, flagged `bot`, and sent where a person would be (or to the
 * fallback when the offer's fraud action says so) with its macros and a click id, so a person
 * misread as a bot can still be attributed; it reserves nothing from a cap (it only looks whether
 * the cap is full) and feeds no fraud counter, and its click id says it was a bot, so a conversion
 * on it is held for review. Whether the click may earn at all (not sent to the fallback) is signed
 * into its id.
 */
export async function trackClick(
  ctx: Context,
  { offer, affiliate, network, params, client, device }: ClickTarget,
  source: ClickEvent['source'],
): Promise<TrackedClick> {
  const now = new Date();
  const blocked = blockFlags(client.ip, client.userAgent, [network, offer.fraud]);
  const flags: FraudFlag[] = [];
  if (device.bot) flags.push('bot');
  if (blocked.blockedIp) flags.push('blocked_ip');
  if (blocked.blockedUserAgent) flags.push('blocked_user_agent');

  let decision = decideByConfiguration(
    offer,
    affiliate,
    { country: client.country, ...device },
    params.creativeId,
    now,
  );
  // Flagged clicks (a bot's among them) go where the offer's fraud action says.
  const flagged = device.bot || blocked.blockedIp || blocked.blockedUserAgent;
  if (decision.outcome === 'redirect' && flagged && offer.fraud.action === 'fallback')
    decision = fallback('fraud');

  // Blocklists and geo have used the raw ip; from here on (counters, dedupe keys, the event) only
  // what the privacy settings keep of it (and of the user agent) is used.
  const privacy = effectivePrivacy(network?.privacy, offer.privacy);
  const ip = await minimiseIp(client.ip, privacy.ipMode, ctx.settings.ipHashKey);
  const { fraud } = offer;
  const countersApply =
    !device.bot &&
    ip !== null &&
    (fraud.duplicateClickWindowSeconds > 0 || fraud.maxClicksPerIpPerMinute !== null);
  const checkCounters = async (): Promise<CounterAnswer> => {
    if (!countersApply || ip === null) return { flags: [], unavailable: false };
    const stub = ctx.env.FRAUD.get(ctx.env.FRAUD.idFromName(fraudShardName(ip)));
    const result = await stub.checkClick({
      ip,
      offerId: offer.id,
      affiliateId: affiliate.id,
      nowMs: now.getTime(),
      duplicateWindowSeconds: fraud.duplicateClickWindowSeconds,
      maxClicksPerIpPerMinute: fraud.maxClicksPerIpPerMinute,
    });
    return {
      flags: [
        ...(result.duplicate ? ['duplicate_click' as const] : []),
        ...(result.velocityExceeded ? ['ip_velocity' as const] : []),
      ],
      unavailable: false,
    };
  };

  let counterAnswer: Promise<CounterAnswer> | null = null;
  // Caps fail closed (decisions 006, 031): a click whose cap counter cannot be reached goes to the
  // fallback as cap_reached, unpaid (its id is signed not payable), rather than risk paying past
  // the cap. Its event says so (capCounterUnavailable), so that an outage is not read as a cap
  // reached; its reason stays cap_reached, which every control plane accepts (shared/src/events.ts).
  let capCounterUnavailable = false;
  const capFailure = (error: unknown) => {
    console.error(
      JSON.stringify({ msg: 'cap counter unavailable', offerId: offer.id, error: String(error) }),
    );
    capCounterUnavailable = true;
  };
  if (decision.outcome === 'redirect') {
    if (countersApply && fraud.action === 'fallback') {
      const answer = await checkCounters().catch(counterFailure);
      counterAnswer = Promise.resolve(answer);
      if (answer.flags.length > 0) decision = fallback('fraud');
    }
    if (decision.outcome === 'redirect' && device.bot && hasCaps(offer, affiliate.id, 'clicks')) {
      // A bot goes where a person would, but takes nothing from the cap.
      const full = await capsFull(ctx.env.CAPS, offer, affiliate.id, 'clicks', now).catch(
        (error: unknown) => {
          capFailure(error);
          return true;
        },
      );
      if (full) decision = fallback('cap_reached');
    } else if (decision.outcome === 'redirect' && hasCaps(offer, affiliate.id, 'clicks')) {
      // Tokens are spent from the isolate's leases: most clicks make no round trip (decision 031).
      const reserved = await leaseClickCaps(ctx.env.CAPS, offer, affiliate.id, now, ctx.waitUntil).catch(
        (error: unknown) => {
          capFailure(error);
          return false;
        },
      );
      if (!reserved) decision = fallback('cap_reached');
    }
  }

  const clickId = await ctx.settings.clickIds.sign({
    offerId: offer.id,
    affiliateId: affiliate.id,
    clickedAt: now,
    payable: decision.outcome === 'redirect',
    bot: device.bot,
  });
  const landingPage = decision.outcome === 'redirect' ? pickLandingPage(offer.landingPages) : null;
  const deepLink = decision.outcome === 'redirect' ? allowedDeepLink(offer, params.deepLink) : null;
  const template = destinationTemplate(
    offer,
    decision,
    ctx.settings.defaultFallbackUrl,
    landingPage?.url ?? null,
  );
  const location =
    deepLink ??
    substituteMacros(template, {
      click_id: clickId,
      offer_id: offer.id,
      aff_id: affiliate.id,
      sub1: params.sub1,
      sub2: params.sub2,
      sub3: params.sub3,
      sub4: params.sub4,
      sub5: params.sub5,
      source_id: params.sourceId,
      country: client.country,
      creative_id: params.creativeId,
    });

  const event: ClickEvent = {
    type: 'click',
    id: clickId,
    occurredAt: now.toISOString(),
    offerId: offer.id,
    affiliateId: affiliate.id,
    sub1: params.sub1,
    sub2: params.sub2,
    sub3: params.sub3,
    sub4: params.sub4,
    sub5: params.sub5,
    sourceId: params.sourceId,
    creativeId: params.creativeId,
    landingPageId: landingPage?.id ?? null,
    ip,
    userAgent: reduceUserAgent(client.userAgent, privacy.userAgentMode, device),
    country: client.country,
    device: device.device,
    os: device.os,
    referrer: client.referrer,
    gclid: params.gclid,
    fbclid: params.fbclid,
    msclkid: params.msclkid,
    ttclid: params.ttclid,
    gbraid: params.gbraid,
    wbraid: params.wbraid,
    ...params.consent,
    outcome: decision.outcome,
    reason: decision.reason,
    fraudFlags: flags,
    unique: true,
    source,
    capCounterUnavailable,
    fraudCounterUnavailable: false,
  };
  // The visitor does not wait for the Queue, nor for counters whose answer cannot change it.
  if (counterAnswer === null && !countersApply) {
    enqueueEvent(eventQueues(ctx.env), event, ctx.waitUntil);
  } else {
    ctx.waitUntil(
      (counterAnswer ?? checkCounters().catch(counterFailure)).then((answer) => {
        event.fraudFlags = [...flags, ...answer.flags];
        event.unique = !answer.flags.includes('duplicate_click');
        event.fraudCounterUnavailable = answer.unavailable;
        enqueueEvent(eventQueues(ctx.env), event, ctx.waitUntil);
      }),
    );
  }
  // Where the offer requires consent for storage, a visit without it gets no cookie (docs/privacy-tracking.md).
  const storable = !privacy.consentRequired || storageConsented(params.consent);
  return { clickId, location, event, storable };
}

/** What the fraud counters said of a click, or that they could not be asked. */
type CounterAnswer = { flags: FraudFlag[]; unavailable: boolean };

function counterFailure(error: unknown): CounterAnswer {
  // A fraud counter outage must not stop traffic (decision 006): the click goes through unflagged
  // and, as it may then be paid unchecked, its event says so (fraudCounterUnavailable).
  console.error(JSON.stringify({ msg: 'fraud counter unavailable', error: String(error) }));
  return { flags: [], unavailable: true };
}

function destinationTemplate(
  offer: OfferConfig,
  decision: ClickDecision,
  defaultFallbackUrl: string,
  landingPageUrl: string | null,
): string {
  if (decision.outcome === 'fallback') return offer.fallbackUrl ?? defaultFallbackUrl;
  return landingPageUrl ?? offer.destinationUrl;
}
