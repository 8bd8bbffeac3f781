import { createAdvertiser } from '../src/advertisers/advertiser-service.ts';
import type { Database } from '../src/db/database.ts';
import type { EdgePublisher } from '../src/edge-sync/edge-publisher.ts';
import type { OfferCreateRequest } from '../src/offers/offer-schemas.ts';
import { createOffer } from '../src/offers/offer-service.ts';

/** An edge that accepts every publication; for tests whose subject is not publishing. */
export const acceptingEdge: EdgePublisher = { publish: async () => {} };

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
