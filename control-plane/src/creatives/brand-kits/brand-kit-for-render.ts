import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { brandKitVersions } from '../../db/schema/brand-kits.ts';
import { creativeAssets } from '../../db/schema/creative-assets.ts';
import type { BrandKit } from '../render/brand-kit.ts';
import type { AssetStorage } from '../storage/asset-storage.ts';

/** A stored brand kit version as providers take it: the logo's bytes read from storage. */
export async function brandKitForRender(
  deps: { db: Database; storage: AssetStorage },
  brandKitId: number,
  version: number,
): Promise<BrandKit> {
  const [row] = await deps.db
    .select()
    .from(brandKitVersions)
    .where(and(eq(brandKitVersions.brandKitId, brandKitId), eq(brandKitVersions.version, version)));
  if (!row) throw new Error(`brand kit ${brandKitId} has no version ${version}`);
  const { logoAssetId, tone, ...kit } = row.kit;
  let logo: Uint8Array | undefined;
  if (logoAssetId !== null) {
    const [asset] = await deps.db.select().from(creativeAssets).where(eq(creativeAssets.id, logoAssetId));
    logo = asset ? (await deps.storage.get(asset.storageKey))?.bytes : undefined;
  }
  return { ...kit, font: kit.font as BrandKit['font'], ...(tone ? { tone } : {}), ...(logo ? { logo } : {}) };
}
