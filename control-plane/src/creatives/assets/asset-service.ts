import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { type CreativeAsset, creativeAssets } from '../../db/schema/creative-assets.ts';
import { type AssetStorage, contentKey, sha256Hex } from '../storage/asset-storage.ts';
import type { AssetUrlSigner } from './asset-urls.ts';

export type AssetDeps = { db: Database; storage: AssetStorage; urls: AssetUrlSigner };

/** What made an asset, stored beside it (issue 11: prompt, provider, model, brand kit version). */
export type AssetOrigin = {
  advertiserId: number;
  creativeId: number | null;
  provider: string;
  model?: string | null;
  prompt?: string | null;
  brandKitId?: number | null;
  brandKitVersion?: number | null;
  placement?: string | null;
  jobId?: number | null;
  durationSeconds?: number | null;
  createdBy: string | null;
};

/** Stores the bytes (once per content) and records the asset. */
export async function storeAsset(
  deps: Pick<AssetDeps, 'storage'> & { db: Pick<Database, 'insert'> },
  file: { bytes: Uint8Array; contentType: string; width: number | null; height: number | null },
  origin: AssetOrigin,
): Promise<CreativeAsset> {
  const sha256 = sha256Hex(file.bytes);
  const stored = await deps.storage.put(contentKey(sha256), file.bytes, file.contentType);
  const [row] = await deps.db
    .insert(creativeAssets)
    .values({
      ...origin,
      storageKey: stored.key,
      contentType: file.contentType,
      width: file.width,
      height: file.height,
      bytes: file.bytes.byteLength,
      sha256,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** The newest asset of a creative, if it has one. */
export async function latestAssetOf(db: Database, creativeId: number): Promise<CreativeAsset | undefined> {
  const [row] = await db
    .select()
    .from(creativeAssets)
    .where(eq(creativeAssets.creativeId, creativeId))
    .orderBy(desc(creativeAssets.id))
    .limit(1);
  return row;
}

export const creativeAssetResponseSchema = z
  .object({
    id: z.number().int(),
    creativeId: z.number().int().nullable(),
    contentType: z.string(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    bytes: z.number().int(),
    sha256: z.string().describe('Hex; the strong ETag the file is served with'),
    durationSeconds: z.number().nullable(),
    provider: z.string().describe('`upload`, or the provider that generated it'),
    model: z.string().nullable(),
    prompt: z.string().nullable(),
    brandKitId: z.number().int().nullable(),
    brandKitVersion: z.number().int().nullable(),
    placement: z.string().nullable(),
    jobId: z.number().int().nullable(),
    url: z.string().describe('Public signed URL (what a creative carries, for embeds and ad tags)'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CreativeAsset' });

export function creativeAssetResponse(
  urls: AssetUrlSigner,
  a: CreativeAsset,
): z.infer<typeof creativeAssetResponseSchema> {
  const { storageKey, advertiserId, createdBy, createdAt, ...rest } = a;
  return { ...rest, url: urls.publicUrl(a.id, a.sha256), createdAt: createdAt.toISOString() };
}
