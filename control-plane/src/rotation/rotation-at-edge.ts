import type { CreativeAtEdge } from '@tas/shared/offer-config';
import type { Database } from '../db/database.ts';
import { learnedWeightsOf, rotatableCreativesOf } from './rotation-arms.ts';
import { rotationGroups } from './rotation-groups.ts';
import { rotationSettingsOf } from './rotation-settings.ts';

type Page = { id: number; name: string; url: string; weight: number; isActive: boolean };

/**
 * The landing pages and creatives the edge rotates, with the weights in force: learned ones in
 * bandit mode (rotation-groups.ts), the advertiser's otherwise. The advertiser's own weights in
 * offer_landing_pages are never overwritten, so switching back to manual restores them.
 */
export async function rotationAtEdgeOf<P extends Page>(
  db: Database,
  offerId: number,
  landingPages: readonly P[],
): Promise<{ landingPages: P[]; creatives: CreativeAtEdge[] }> {
  // One after the other: inside a transaction the queries share one connection.
  const settings = await rotationSettingsOf(db, offerId);
  const creatives = await rotatableCreativesOf(db, offerId);
  const learned = await learnedWeightsOf(db, offerId);
  const active = landingPages.filter((p) => p.isActive);
  const groups = rotationGroups({ mode: settings.mode, landingPages: active, creatives, learned });
  const inForce = new Map(
    groups.flatMap((g) => g.arms.map((a) => [`${a.kind}:${a.id}`, a.weightInForce] as const)),
  );
  return {
    landingPages: landingPages.map((p) => ({
      ...p,
      weight: inForce.get(`landing_page:${p.id}`) ?? p.weight,
    })),
    creatives: creatives.map((c) => ({ ...c, weight: inForce.get(`creative:${c.id}`) ?? 1 })),
  };
}
