import type { AffiliateConfig } from '@tas/shared/affiliate-config';
import { campaignOfCreative, campaignServing } from '@tas/shared/campaign-serving';
import type { ClickReason } from '@tas/shared/events';
import type { OfferConfig } from '@tas/shared/offer-config';
import type { DeviceInfo } from '../visitor/device.ts';

export type ClickDecision =
  | { outcome: 'redirect'; reason: null }
  | { outcome: 'fallback'; reason: ClickReason };

export const REDIRECT: ClickDecision = { outcome: 'redirect', reason: null };
export const fallback = (reason: ClickReason): ClickDecision => ({ outcome: 'fallback', reason });

/**
 * What configuration alone says about a click, before any counter is consulted: paused offer,
 * affiliate not approved, an advertiser whose money has run out, a creative whose campaign is off
 * schedule or out of budget, or a visitor outside the targeting go to the fallback.
 */
export function decideByConfiguration(
  offer: OfferConfig,
  affiliate: AffiliateConfig,
  visitor: { country: string | null } & DeviceInfo,
  creativeId: number | null,
  now: Date,
): ClickDecision {
  if (offer.status !== 'active') return fallback('offer_paused');
  if (offer.visibility !== 'public' && !offer.approvedAffiliateIds.includes(affiliate.id)) {
    return fallback('affiliate_not_approved');
  }
  // The advertiser's budget as a whole: a prepaid balance used up or a credit limit reached
  // (decision 024). Conversions of clicks sent earlier still count; new clicks earn nothing.
  if (offer.fundsStopped) return fallback('budget_reached');
  const campaign = campaignOfCreative(offer.campaigns, creativeId);
  if (campaign !== null) {
    const serving = campaignServing(campaign, now);
    if (serving !== 'serving') return fallback(serving);
  }
  const { countries, devices, operatingSystems } = offer.targeting;
  if (countries.length > 0 && (visitor.country === null || !countries.includes(visitor.country))) {
    return fallback('targeting_mismatch');
  }
  if (devices.length > 0 && !devices.includes(visitor.device)) return fallback('targeting_mismatch');
  if (operatingSystems.length > 0 && !operatingSystems.includes(visitor.os))
    return fallback('targeting_mismatch');
  return REDIRECT;
}
