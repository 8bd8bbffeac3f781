import type { AffiliateConfig } from '@tas/shared/affiliate-config';
import type { ClickReason } from '@tas/shared/events';
import type { OfferConfig } from '@tas/shared/offer-config';

export type ClickDecision =
  | { outcome: 'redirect'; reason: null; urlTemplate: string }
  | { outcome: 'fallback'; reason: ClickReason; urlTemplate: string };

/**
 * Decides where a click goes, before anything is recorded. The destination always comes from
 * configuration (the offer's URL or a fallback), never from the request: no open redirect.
 */
export function decideClick(
  offer: OfferConfig,
  affiliate: AffiliateConfig,
  defaultFallbackUrl: string,
): ClickDecision {
  const fallback = (reason: ClickReason): ClickDecision => ({
    outcome: 'fallback',
    reason,
    urlTemplate: offer.fallbackUrl ?? defaultFallbackUrl,
  });
  if (offer.status !== 'active') return fallback('offer_paused');
  if (offer.visibility !== 'public' && !offer.approvedAffiliateIds.includes(affiliate.id)) {
    return fallback('affiliate_not_approved');
  }
  return { outcome: 'redirect', reason: null, urlTemplate: offer.destinationUrl };
}
