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
  | 'consent_denied'
  | 'consent_missing'
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
    'gclid' | 'gbraid' | 'wbraid' | 'fbclid' | 'ttclid' | 'msclkid' | 'consent' | 'ip' | 'userAgent'
  > | null;
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
  const consent = click?.consent ?? null;
  if (consent === 'denied') return { skip: 'consent_denied' };
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
      ip: click?.ip ?? (conversion.source === 'pixel' ? conversion.ip : null),
      userAgent: click?.userAgent ?? (conversion.source === 'pixel' ? conversion.userAgent : null),
      country: conversion.country,
      consent,
      userData: conversion.customerHashes ?? {},
      sourceUrl: input.landingUrl,
    },
  };
}
