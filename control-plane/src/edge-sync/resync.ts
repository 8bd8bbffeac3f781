import { asc } from 'drizzle-orm';
import { affiliateConfigFor } from '../affiliates/affiliate-service.ts';
import type { Database } from '../db/database.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { offers } from '../db/schema/offers.ts';
import type { EdgePublisher } from './edge-publisher.ts';
import { networkConfigOf } from './network-config.ts';
import { edgeConfigOf } from './publish-offer.ts';

const CHUNK = 200;

/**
 * Rebuilds the edge's KV from Postgres: the network blocklists, every live offer and every
 * affiliate are written, every draft or archived offer removed. Safe to run at any time; run at
 * start and by `pnpm resync`.
 */
export async function resyncEdge(
  db: Database,
  edge: EdgePublisher,
): Promise<{ offers: number; affiliates: number }> {
  await edge.publish({ network: await networkConfigOf(db) });
  const allOffers = await db.select().from(offers).orderBy(asc(offers.id));
  const allAffiliates = await db.select().from(affiliates).orderBy(asc(affiliates.id));
  for (let i = 0; i < allOffers.length; i += CHUNK) {
    const chunk = allOffers.slice(i, i + CHUNK);
    const upsert = [];
    const remove = [];
    for (const offer of chunk) {
      const config = await edgeConfigOf(db, offer);
      if (config) upsert.push(config);
      else remove.push(offer.id);
    }
    await edge.publish({ upsert: { offers: upsert }, remove: { offers: remove } });
  }
  for (let i = 0; i < allAffiliates.length; i += CHUNK) {
    await edge.publish({ upsert: { affiliates: allAffiliates.slice(i, i + CHUNK).map(affiliateConfigFor) } });
  }
  return { offers: allOffers.length, affiliates: allAffiliates.length };
}
