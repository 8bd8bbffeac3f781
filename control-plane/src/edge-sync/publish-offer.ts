import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { type Offer, offerAccess } from '../db/schema/offers.ts';
import { offerConfigFor } from '../offers/offer-config-projection.ts';
import type { EdgePublisher } from './edge-publisher.ts';

/** Affiliates approved on an offer (what the edge checks for non-public offers). */
export async function approvedAffiliateIds(db: Database, offerId: number): Promise<number[]> {
  const rows = await db
    .select({ affiliateId: offerAccess.affiliateId })
    .from(offerAccess)
    .where(and(eq(offerAccess.offerId, offerId), eq(offerAccess.status, 'approved')));
  return rows.map((r) => r.affiliateId).sort((a, b) => a - b);
}

/** Puts the offer's current state at the edge: its config when live, its removal otherwise. */
export async function publishOffer(db: Database, edge: EdgePublisher, offer: Offer): Promise<void> {
  const config = await offerConfigFor(offer, await approvedAffiliateIds(db, offer.id));
  await edge.publish(config ? { upsert: { offers: [config] } } : { remove: { offers: [offer.id] } });
}
