import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { type Offer, offerAccess, offers } from '../db/schema/offers.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { publishOffer } from '../edge-sync/publish-offer.ts';
import { ApiError } from '../http/api-error.ts';
import {
  type OfferCreateRequest,
  type OfferUpdateRequest,
  offerCreateRequestSchema,
  offerUpdateRequestSchema,
} from './offer-schemas.ts';

export type OfferDeps = { db: Database; edge: EdgePublisher };

/*
 * Every change is published to the edge inside the transaction that makes it: if the edge cannot
 * take it, the change is rolled back and the caller told, so Postgres and KV do not drift apart.
 * (If the commit itself fails after publishing, `resync` puts KV back in line.)
 */

export async function createOffer({ db, edge }: OfferDeps, input: OfferCreateRequest): Promise<Offer> {
  const values = offerCreateRequestSchema.parse(input);
  return db.transaction(async (tx) => {
    const [offer] = await tx.insert(offers).values(values).returning();
    if (!offer) throw new Error('insert returned no row');
    await publishOffer(tx, edge, offer);
    return offer;
  });
}

export async function updateOffer(
  { db, edge }: OfferDeps,
  offerId: number,
  patch: OfferUpdateRequest,
): Promise<Offer> {
  const changes = offerUpdateRequestSchema.parse(patch);
  return db.transaction(async (tx) => {
    const [offer] = await tx
      .update(offers)
      .set({ ...changes, revision: sql`${offers.revision} + 1` })
      .where(eq(offers.id, offerId))
      .returning();
    if (!offer) throw new ApiError('not_found', `Offer ${offerId} does not exist.`);
    if (!offer.events.includes(offer.defaultEvent)) {
      throw new ApiError('invalid_request', 'defaultEvent must be one of events.');
    }
    await publishOffer(tx, edge, offer);
    return offer;
  });
}

/** Approves, rejects or marks pending an affiliate on an offer, and republishes the offer. */
export async function setOfferAccess(
  { db, edge }: OfferDeps,
  offerId: number,
  affiliateId: number,
  status: 'pending' | 'approved' | 'rejected',
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(offerAccess)
      .values({ offerId, affiliateId, status })
      .onConflictDoUpdate({ target: [offerAccess.offerId, offerAccess.affiliateId], set: { status } });
    const [offer] = await tx
      .update(offers)
      .set({ revision: sql`${offers.revision} + 1` })
      .where(eq(offers.id, offerId))
      .returning();
    if (!offer) throw new ApiError('not_found', `Offer ${offerId} does not exist.`);
    await publishOffer(tx, edge, offer);
  });
}
