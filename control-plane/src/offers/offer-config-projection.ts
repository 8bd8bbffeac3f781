import { createHash } from 'node:crypto';
import type { CampaignAtEdge } from '@tas/shared/campaign-serving';
import { type CreativeAtEdge, type OfferConfig, offerConfigSchema } from '@tas/shared/offer-config';
import type { Offer, OfferLandingPage } from '../db/schema/offers.ts';

/**
 * The slim copy of an offer the edge keeps in KV, or null when the offer must not be live at
 * the edge at all (drafts and archived offers: their links answer 404). Parsed with the shared
 * schema, so nothing the edge would refuse is ever published.
 */
export function offerConfigFor(
  offer: Offer,
  approvedAffiliateIds: number[],
  landingPages: Pick<OfferLandingPage, 'id' | 'url' | 'weight' | 'isActive'>[],
  campaigns: CampaignAtEdge[] = [],
  /** The advertiser's money in the offer's currency has run out (decision 024). */
  fundsStopped = false,
  /** The creatives ad tags rotate, with the weights in force (rotation/rotation-at-edge.ts). */
  creatives: CreativeAtEdge[] = [],
): OfferConfig | null {
  if (offer.status !== 'active' && offer.status !== 'paused') return null;
  return offerConfigSchema.parse({
    id: offer.id,
    status: offer.status,
    destinationUrl: offer.destinationUrl,
    landingPages: landingPages.filter((p) => p.isActive).map(({ id, url, weight }) => ({ id, url, weight })),
    fallbackUrl: offer.fallbackUrl,
    visibility: offer.visibility,
    approvedAffiliateIds,
    targeting: offer.targeting,
    deepLinks: offer.deepLinks,
    caps: offer.caps,
    fraud: offer.fraudRules,
    privacy: offer.privacy,
    defaultEvent: offer.defaultEvent,
    events: offer.events,
    attributionWindowHours: offer.attributionWindowHours,
    currency: offer.currency,
    postbackSecretSha256: offer.postbackSecret
      ? createHash('sha256').update(offer.postbackSecret).digest('hex')
      : null,
    postbackIpAllowlist: offer.postbackIpAllowlist,
    conversionSources: offer.conversionSources,
    campaigns,
    creatives,
    fundsStopped,
    revision: offer.revision,
  });
}
