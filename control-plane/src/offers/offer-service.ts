import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { type Offer, offerAccess, offers } from '../db/schema/offers.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { publishOffer } from '../edge-sync/publish-offer.ts';
import { ApiError } from '../http/api-error.ts';
import { replaceLandingPages } from './landing-pages.ts';
import {
  type OfferCreateRequest,
  type OfferUpdateRequest,
  offerCreateRequestSchema,
  offerUpdateRequestSchema,
} from './offer-schemas.ts';
import {
  checkOverrideUnit,
  endOverrides,
  ratesChanged,
  replaceOverride,
  startDefaultRates,
} from './payout-rules.ts';

export type OfferDeps = { db: Database; edge: EdgePublisher; now?: () => Date };

/*
 * Every change is published to the edge inside the transaction that makes it: if the edge cannot
 * take it, the change is rolled back and the caller told, so Postgres and KV do not drift apart.
 * (If the commit itself fails after publishing, `resync` puts KV back in line.)
 */

export async function createOffer({ db, edge, now }: OfferDeps, input: OfferCreateRequest): Promise<Offer> {
  const { landingPages, advertiserId, ...values } = offerCreateRequestSchema.parse(input);
  if (!advertiserId) throw new ApiError('invalid_request', 'advertiserId is required.');
  return db.transaction(async (tx) => {
    const [offer] = await tx
      .insert(offers)
      .values({ ...values, advertiserId })
      .returning();
    if (!offer) throw new Error('insert returned no row');
    await startDefaultRates(tx, offer.id, offer, now?.() ?? offer.createdAt);
    if (landingPages.length) await replaceLandingPages(tx, offer.id, landingPages);
    await publishOffer(tx, edge, offer);
    return offer;
  });
}

export async function updateOffer(
  { db, edge, now }: OfferDeps,
  offerId: number,
  patch: OfferUpdateRequest,
): Promise<Offer> {
  const { landingPages, ...changes } = offerUpdateRequestSchema.parse(patch);
  return db.transaction(async (tx) => {
    // Locks the row: concurrent changes of one offer are applied one after the other.
    const [before] = await tx.select().from(offers).where(eq(offers.id, offerId)).for('update');
    if (!before) throw new ApiError('not_found', `Offer ${offerId} does not exist.`);
    const [offer] = await tx
      .update(offers)
      .set({ ...changes, revision: sql`${offers.revision} + 1` })
      .where(eq(offers.id, offerId))
      .returning();
    if (!offer) throw new ApiError('not_found', `Offer ${offerId} does not exist.`);
    if (!offer.events.includes(offer.defaultEvent)) {
      throw new ApiError('invalid_request', 'defaultEvent must be one of events.');
    }
    if (ratesChanged(before, offer)) {
      const at = now?.() ?? new Date();
      await startDefaultRates(tx, offer.id, offer, at);
      // Overrides are amounts for the old type's unit: they end with it (payout-rules.ts).
      if (offer.payoutType !== before.payoutType) await endOverrides(tx, offer.id, at);
    }
    if (landingPages) await replaceLandingPages(tx, offer.id, landingPages);
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

/**
 * Sets (or with null, removes) an affiliate's payout override from now on, in the unit of the
 * offer's payout type (basis points for revshare, minor units otherwise). It lasts until replaced,
 * removed, or the offer's payout type changes.
 */
export async function setPayoutOverride(
  { db, now }: Pick<OfferDeps, 'db' | 'now'>,
  offerId: number,
  affiliateId: number,
  payout: { payoutMinor: number; payoutBps: number } | null,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId)).for('update');
    if (!offer) throw new ApiError('not_found', `Offer ${offerId} does not exist.`);
    const [affiliate] = await tx
      .select({ id: affiliates.id })
      .from(affiliates)
      .where(eq(affiliates.id, affiliateId));
    if (!affiliate) throw new ApiError('not_found', `Affiliate ${affiliateId} does not exist.`);
    if (payout) checkOverrideUnit(offer, payout);
    return replaceOverride(tx, offer, affiliateId, payout, now?.() ?? new Date());
  });
}
