import { assetUrlSchema, creativeSizeSchema, MAX_CREATIVES_AT_EDGE } from '@tas/shared/offer-config';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { campaigns } from '../db/schema/campaigns.ts';
import { creatives } from '../db/schema/creatives.ts';
import { offerLandingPages } from '../db/schema/offers.ts';
import { type RotationWeight, rotationWeights } from '../db/schema/rotation.ts';

export type ArmKind = RotationWeight['armKind'];

/** A creative an ad tag can show: an image or a video with a placement size. */
export type RotatableCreative = {
  id: number;
  name: string;
  type: 'image' | 'video';
  size: string;
  url: string;
};

/** The group a landing page competes in: all of the offer's landing pages rotate together. */
export const LANDING_PAGE_GROUP = '';

/**
 * The offer's creatives that rotate: images and videos with a placement size, of its active
 * campaigns (a paused, draft or finished campaign's creatives are not shown; schedules and
 * budgets are the edge's to apply). The newest MAX_CREATIVES_AT_EDGE, so the offer's
 * configuration stays bounded.
 */
export async function rotatableCreativesOf(db: Database, offerId: number): Promise<RotatableCreative[]> {
  const rows = await db
    .select({
      id: creatives.id,
      name: creatives.name,
      type: creatives.type,
      size: creatives.size,
      url: creatives.url,
    })
    .from(creatives)
    .innerJoin(campaigns, eq(campaigns.id, creatives.campaignId))
    .where(
      and(
        eq(campaigns.offerId, offerId),
        eq(campaigns.status, 'active'),
        inArray(creatives.type, ['image', 'video']),
      ),
    )
    .orderBy(desc(creatives.id))
    .limit(MAX_CREATIVES_AT_EDGE);
  const rotatable: RotatableCreative[] = [];
  for (const row of rows) {
    // The API allows sizes the edge does not (0x0, leading zeros): such a creative is not rotated.
    // Nor one whose URL the edge's schema refuses: one bad creative must not stop its offer publishing.
    if (
      row.type === 'html' ||
      row.size === null ||
      !creativeSizeSchema.safeParse(row.size).success ||
      !assetUrlSchema.safeParse(row.url).success
    )
      continue;
    rotatable.push({
      id: row.id,
      name: row.name.slice(0, 200),
      type: row.type,
      size: row.size,
      url: row.url,
    });
  }
  return rotatable.sort((a, b) => a.id - b.id);
}

/** The offer's active landing pages, oldest first. */
export function activeLandingPagesOf(db: Database, offerId: number) {
  return db
    .select({
      id: offerLandingPages.id,
      name: offerLandingPages.name,
      url: offerLandingPages.url,
      weight: offerLandingPages.weight,
    })
    .from(offerLandingPages)
    .where(and(eq(offerLandingPages.offerId, offerId), eq(offerLandingPages.isActive, true)))
    .orderBy(asc(offerLandingPages.id));
}

export function learnedWeightsOf(db: Database, offerId: number): Promise<RotationWeight[]> {
  return db.select().from(rotationWeights).where(eq(rotationWeights.offerId, offerId));
}
