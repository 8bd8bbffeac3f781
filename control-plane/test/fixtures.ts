import type { CapUsageRequest, CapUsageResponse } from '@tas/shared/cap-usage';
import { createAdvertiser } from '../src/advertisers/advertiser-service.ts';
import type { Database } from '../src/db/database.ts';
import type { EdgePublisher } from '../src/edge-sync/edge-publisher.ts';
import type { OfferCreateRequest } from '../src/offers/offer-schemas.ts';
import { createOffer } from '../src/offers/offer-service.ts';

/** Cap usage with nothing used, for the scopes asked about. */
export function unusedCaps(request: CapUsageRequest): CapUsageResponse {
  const now = new Date(request.at ?? Date.now()).toISOString();
  const none = { clicks: { daily: 0, monthly: 0 }, conversions: { daily: 0, monthly: 0 } };
  return {
    offerId: request.offerId,
    day: now.slice(0, 10),
    month: now.slice(0, 7),
    offer: none,
    affiliates: (request.affiliateIds ?? []).map((affiliateId) => ({ affiliateId, used: none })),
  };
}

/** An edge that accepts every publication; for tests whose subject is not the edge. */
export const acceptingEdge: EdgePublisher = {
  publish: async () => {},
  capUsage: async (request) => unusedCaps(request),
  deadLetterCount: async () => 0,
  replayDeadLetters: async () => ({ replayed: 0, failed: [], remaining: 0 }),
};

export async function createTestOffer(db: Database, overrides: Partial<OfferCreateRequest> = {}) {
  const advertiser = await createAdvertiser(db, { companyName: 'Adv' });
  return createOffer(
    { db, edge: acceptingEdge },
    {
      advertiserId: advertiser.id,
      name: 'Offer',
      payoutType: 'cpa',
      payoutMinor: 1500,
      revenueMinor: 2500,
      status: 'active',
      destinationUrl: 'https://adv.test/?c={click_id}',
      ...overrides,
    },
  );
}
