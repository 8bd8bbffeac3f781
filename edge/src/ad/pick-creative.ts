import { campaignOfCreative, campaignServing } from '@tas/shared/campaign-serving';
import type { CreativeAtEdge, OfferConfig } from '@tas/shared/offer-config';
import { pickByWeight } from '../rotation/pick-by-weight.ts';

/**
 * The creative an ad tag shows: one of the offer's creatives of `size`, by weight, among those
 * whose campaign serves now (a campaign off schedule or out of budget would send the click to
 * the fallback, so its creatives are not shown). null: none of that size can be shown.
 */
export function pickCreative(
  offer: Pick<OfferConfig, 'creatives' | 'campaigns'>,
  size: string,
  now: Date,
  random = Math.random(),
): CreativeAtEdge | null {
  const candidates = offer.creatives.filter((creative) => {
    if (creative.size !== size) return false;
    const campaign = campaignOfCreative(offer.campaigns, creative.id);
    return campaign === null || campaignServing(campaign, now) === 'serving';
  });
  return pickByWeight(candidates, random);
}
