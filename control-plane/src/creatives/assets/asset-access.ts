import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Principal } from '../../auth/principal.ts';
import type { Database } from '../../db/database.ts';
import { affiliates } from '../../db/schema/affiliates.ts';
import { campaigns } from '../../db/schema/campaigns.ts';
import { type CreativeAsset, creativeAssets } from '../../db/schema/creative-assets.ts';
import { creatives } from '../../db/schema/creatives.ts';
import { offerAccess, offers } from '../../db/schema/offers.ts';
import { ApiError } from '../../http/api-error.ts';

/**
 * Whether an affiliate may run the offer a creative's campaign promotes: the offer live, and the
 * affiliate approved for it, or the offer public and the affiliate active (a signed-up affiliate
 * is pending until an admin activates it). Seeing an approval-required offer to apply is not enough.
 */
export async function affiliateMayRunCreative(db: Database, affiliateId: number, creativeId: number) {
  const [row] = await db
    .select({ offerId: offers.id })
    .from(creatives)
    .innerJoin(campaigns, eq(campaigns.id, creatives.campaignId))
    .innerJoin(offers, eq(offers.id, campaigns.offerId))
    .innerJoin(affiliates, eq(affiliates.id, affiliateId))
    .where(
      and(
        eq(creatives.id, creativeId),
        inArray(offers.status, ['active', 'paused']),
        or(
          and(eq(offers.visibility, 'public'), eq(affiliates.status, 'active')),
          sql`EXISTS (SELECT 1 FROM ${offerAccess} WHERE ${offerAccess.offerId} = ${offers.id}
              AND ${offerAccess.affiliateId} = ${affiliateId} AND ${offerAccess.status} = 'approved')`,
        ),
      ),
    );
  return row ? { offerId: row.offerId } : null;
}

/** The asset if the principal may have it; otherwise not_found (another's asset is not revealed). */
export async function visibleAsset(db: Database, principal: Principal, id: number): Promise<CreativeAsset> {
  const [asset] = await db.select().from(creativeAssets).where(eq(creativeAssets.id, id));
  const missing = new ApiError('not_found', `Creative asset ${id} does not exist.`);
  if (!asset) throw missing;
  if (principal.role === 'admin') return asset;
  if (principal.role === 'advertiser') {
    if (asset.advertiserId !== principal.advertiserId) throw missing;
    return asset;
  }
  // A brand kit's logo (no creative) is the advertiser's own business.
  if (asset.creativeId === null || principal.affiliateId === null) throw missing;
  if (!(await affiliateMayRunCreative(db, principal.affiliateId, asset.creativeId))) throw missing;
  return asset;
}
