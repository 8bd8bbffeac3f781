import { and, asc, eq } from 'drizzle-orm';
import { campaignsAtEdgeOf } from '../campaigns/campaign-at-edge.ts';
import type { Database } from '../db/database.ts';
import { advertiserFunds } from '../db/schema/advertiser-funds.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { type Offer, offerAccess, offerLandingPages, offers } from '../db/schema/offers.ts';
import { offerConfigFor } from '../offers/offer-config-projection.ts';
import { rotationAtEdgeOf } from '../rotation/rotation-at-edge.ts';
import type { EdgePublisher } from './edge-publisher.ts';

/** Affiliates approved on an offer (what the edge checks for non-public offers). */
export async function approvedAffiliateIds(db: Database, offerId: number): Promise<number[]> {
  const rows = await db
    .select({ affiliateId: offerAccess.affiliateId })
    .from(offerAccess)
    .where(and(eq(offerAccess.offerId, offerId), eq(offerAccess.status, 'approved')));
  return rows.map((r) => r.affiliateId).sort((a, b) => a - b);
}

export function landingPagesOf(db: Database, offerId: number) {
  return db
    .select()
    .from(offerLandingPages)
    .where(eq(offerLandingPages.offerId, offerId))
    .orderBy(asc(offerLandingPages.id));
}

/**
 * The edge's view of an offer as Postgres has it now (null: not live at the edge). A suspended
 * advertiser's live offers are paused there, their own status kept, so that reactivating the
 * advertiser republishes each as it was (advertisers/advertiser-service.ts). An advertiser whose
 * money in the offer's currency has run out has it stopped there (billing/funds-stop.ts).
 */
export async function edgeConfigOf(db: Database, offer: Offer) {
  const [owner] = await db
    .select({ status: advertisers.status, funds: advertiserFunds.state })
    .from(advertisers)
    .leftJoin(
      advertiserFunds,
      and(eq(advertiserFunds.advertiserId, advertisers.id), eq(advertiserFunds.currency, offer.currency)),
    )
    .where(eq(advertisers.id, offer.advertiserId));
  const held = owner?.status === 'suspended' && offer.status === 'active';
  const rotation = await rotationAtEdgeOf(db, offer.id, await landingPagesOf(db, offer.id));
  return offerConfigFor(
    held ? { ...offer, status: 'paused' } : offer,
    await approvedAffiliateIds(db, offer.id),
    rotation.landingPages,
    await campaignsAtEdgeOf(db, offer.id),
    owner?.funds === 'exhausted',
    rotation.creatives,
  );
}

/**
 * Puts the offer's current state at the edge: its config when live, its removal otherwise. The
 * offer row is locked first and everything is read after the lock, so two transactions
 * publishing the same offer (say, an ingest stopping one campaign while an advertiser pauses
 * another) publish one after the other, the second from what the first committed: the last
 * configuration the edge receives is never older than the database.
 */
export async function publishOffer(db: Database, edge: EdgePublisher, offer: Offer): Promise<void> {
  const [current] = await db.select().from(offers).where(eq(offers.id, offer.id)).for('update');
  const config = await edgeConfigOf(db, current ?? offer);
  await edge.publish(config ? { upsert: { offers: [config] } } : { remove: { offers: [offer.id] } });
}
