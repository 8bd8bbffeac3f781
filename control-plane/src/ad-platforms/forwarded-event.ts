import { type AdConsentRefusal, adForwardingRefusal, type ConsentSignals } from '@tas/shared/consent';
import { parseIp } from '@tas/shared/ip-match';
import { isEuVisitor, type TrackingPrivacy } from '@tas/shared/privacy';
import type { AdConversionDestination } from '../db/schema/ad-conversion-destinations.ts';
import type { Click } from '../db/schema/clicks.ts';
import type { Conversion } from '../db/schema/conversions.ts';
import type { AdPlatform, ConversionSender, ForwardedEvent } from './ad-platform.ts';

/** The event name each platform is sent when the destination does not name one. */
const DEFAULT_EVENT_NAMES: Record<AdPlatform, string> = {
  meta: 'Purchase',
  google: 'purchase',
  tiktok: 'CompletePayment',
  microsoft: 'purchase',
};

/** Why an owed event is not sent; kept on the delivery so the log says why. */
export type SkipReason =
  | AdConsentRefusal
  | 'consent_missing'
  | 'eu_visitor'
  | 'no_click_id'
  | 'conversion_rejected'
  | 'conversion_not_approved'
  | 'platform_has_no_retractions';

/** How long a conversion waits for its click (clicks may arrive after their conversion) before going without it. */
export const CLICK_WAIT_MS = 60 * 60_000;

export type ForwardingDecision =
  | { send: ForwardedEvent }
  | { skip: SkipReason }
  | { wait: 'click_not_arrived' };

/**
 * Whether one owed delivery goes, as the conversion and its click are now: the conversion still
 * has the status that queued it, the click's consent allows it under the destination's policy, the
 * platform can attribute it (its click id), and a retraction goes only where the platform accepts one.
 */
export function decideForwarding(input: {
  delivery: { id: string; kind: 'conversion' | 'retraction' };
  destination: Pick<AdConversionDestination, 'platform' | 'settings' | 'sendOn' | 'consentPolicy'>;
  conversion: Conversion;
  click: Pick<
    Click,
    | 'gclid'
    | 'gbraid'
    | 'wbraid'
    | 'fbclid'
    | 'ttclid'
    | 'msclkid'
    | 'ip'
    | 'userAgent'
    | 'country'
    | keyof ConsentSignals
  > | null;
  /** The offer's privacy settings over the network's: whether EU/EEA/UK visitors' conversions go. */
  privacy: TrackingPrivacy;
  /** The offer's landing page (Meta's event_source_url). */
  landingUrl: string | null;
  sender: ConversionSender;
  now: Date;
}): ForwardingDecision {
  const { delivery, destination, conversion, click, sender } = input;
  if (delivery.kind === 'conversion') {
    if (conversion.status === 'rejected') return { skip: 'conversion_rejected' };
    if (conversion.status === 'pending' && destination.sendOn !== 'pending')
      return { skip: 'conversion_not_approved' };
  } else if (!sender.acceptsRetractions) {
    return { skip: 'platform_has_no_retractions' };
  }
  if (click === null && input.now.getTime() - conversion.receivedAt.getTime() < CLICK_WAIT_MS) {
    return { wait: 'click_not_arrived' };
  }
  // The click's country (known at the edge) decides; the conversion's copy of it when the click is gone.
  if (!input.privacy.forwardEuVisitors && isEuVisitor(click?.country ?? conversion.country))
    return { skip: 'eu_visitor' };
  const signals = consentSignalsOf(conversion, click);
  const refusal = adForwardingRefusal(signals);
  if (refusal !== null) return { skip: refusal };
  const consent = signals.consent;
  if (destination.consentPolicy === 'required' && consent !== 'granted') return { skip: 'consent_missing' };
  const clickIds = {
    gclid: click?.gclid ?? null,
    gbraid: click?.gbraid ?? null,
    wbraid: click?.wbraid ?? null,
    fbclid: click?.fbclid ?? null,
    ttclid: click?.ttclid ?? null,
    msclkid: click?.msclkid ?? null,
  };
  if (!sender.needsClickId(clickIds)) return { skip: 'no_click_id' };
  return {
    send: {
      deliveryId: delivery.id,
      kind: delivery.kind,
      eventId: conversion.txid ?? conversion.id,
      conversionId: conversion.id,
      eventName: destination.settings.eventName ?? DEFAULT_EVENT_NAMES[destination.platform],
      occurredAt: conversion.occurredAt,
      clickedAt: conversion.clickedAt,
      valueMinor: conversion.amountMinor,
      currency: conversion.currency,
      txid: conversion.txid,
      clickIds,
      // The visitor's: the click's, or a pixel's (a postback's ip and agent are the advertiser's server).
      // Only a whole ip and user agent: a truncated or hashed ip, or a parsed agent, is not the
      // visitor's and would mislead the platform's matching (docs/privacy-tracking.md).
      ip: wholeIp(click?.ip ?? (conversion.source === 'pixel' ? conversion.ip : null), input.privacy),
      userAgent:
        input.privacy.userAgentMode === 'full'
          ? (click?.userAgent ?? (conversion.source === 'pixel' ? conversion.userAgent : null))
          : null,
      country: conversion.country,
      consent,
      consentMode: { adUserData: signals.adUserData, adPersonalization: signals.adPersonalization },
      userData: conversion.customerHashes ?? {},
      sourceUrl: input.landingUrl,
    },
  };
}

/** Each signal as the conversion's pixel or postback gave it, else as its click did. */
function consentSignalsOf(
  conversion: Pick<Conversion, keyof ConsentSignals>,
  click: Pick<Click, keyof ConsentSignals> | null,
): ConsentSignals {
  return {
    consent: conversion.consent ?? click?.consent ?? null,
    gdpr: conversion.gdpr ?? click?.gdpr ?? null,
    gdprConsent: conversion.gdprConsent ?? click?.gdprConsent ?? null,
    adUserData: conversion.adUserData ?? click?.adUserData ?? null,
    adPersonalization: conversion.adPersonalization ?? click?.adPersonalization ?? null,
  };
}

function wholeIp(ip: string | null, privacy: TrackingPrivacy): string | null {
  return ip !== null && privacy.ipMode === 'full' && parseIp(ip) !== null ? ip : null;
}
