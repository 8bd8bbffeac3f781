import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { offers } from '../db/schema/offers.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { edgeConfigOf } from '../edge-sync/publish-offer.ts';

const CHUNK = 200;

/**
 * Republishes every offer of an advertiser, as edgeConfigOf sees them now: paused while the
 * advertiser is suspended, each as its own status says otherwise. Call it inside the transaction
 * that changed the advertiser, so that a refusal from the edge rolls the change back. The offer
 * rows are locked in id order first (as publishOffer locks one), so a concurrent change of one of
 * them publishes after this, from what this committed.
 */
export async function publishAdvertiserOffers(
  tx: Database,
  edge: EdgePublisher,
  advertiserId: number,
): Promise<number> {
  const rows = await tx
    .select()
    .from(offers)
    .where(eq(offers.advertiserId, advertiserId))
    .orderBy(asc(offers.id))
    .for('update');
  for (let i = 0; i < rows.length; i += CHUNK) {
    const upsert = [];
    const remove = [];
    for (const offer of rows.slice(i, i + CHUNK)) {
      const config = await edgeConfigOf(tx, offer);
      if (config) upsert.push(config);
      else remove.push(offer.id);
    }
    await edge.publish({ upsert: { offers: upsert }, remove: { offers: remove } });
  }
  return rows.length;
}
