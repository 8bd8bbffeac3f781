import { entityIdSchema } from '@tas/shared/ids';
import { and, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../../auth/principal.ts';
import type { Database } from '../../db/database.ts';
import {
  type BrandKitRow,
  brandKits,
  brandKitVersions,
  type StoredBrandKit,
} from '../../db/schema/brand-kits.ts';
import { creativeAssets } from '../../db/schema/creative-assets.ts';
import { keysetPage, oneOrNotFound } from '../../db/scoped-rows.ts';
import { ApiError } from '../../http/api-error.ts';
import { brandKitSchema } from '../render/brand-kit.ts';

// The renderer's own schema, the logo named by an uploaded asset instead of carried as bytes.
const brandKitFields = brandKitSchema.omit({ logo: true }).extend({
  logoAssetId: entityIdSchema
    .nullable()
    .default(null)
    .describe('A PNG, JPEG or WebP uploaded to /creative-assets'),
});

export const brandKitRequestSchema = brandKitFields.describe('A brand kit').meta({ id: 'BrandKitRequest' });
export const brandKitCreateRequestSchema = brandKitFields
  .extend({
    advertiserId: entityIdSchema.optional().describe('Admins: whose brand kit (advertisers: their own)'),
  })
  .meta({ id: 'BrandKitCreateRequest' });

export const brandKitResponseSchema = z
  .object({
    id: z.number().int(),
    advertiserId: z.number().int(),
    version: z.number().int().describe('Each save is a new version; assets record the one they used'),
    name: z.string(),
    colors: z.object({
      primary: z.string(),
      secondary: z.string(),
      background: z.string(),
      text: z.string(),
    }),
    font: z.string(),
    logoAssetId: z.number().int().nullable(),
    tone: z.string().nullable(),
    bannedWords: z.array(z.string()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'BrandKit' });
export type BrandKitResponse = z.infer<typeof brandKitResponseSchema>;

function scope(principal: Principal): SQL | undefined {
  if (principal.role === 'admin') return undefined;
  return eq(brandKits.advertiserId, principal.advertiserId ?? -1);
}

async function currentKit(db: Database, kit: BrandKitRow): Promise<BrandKitResponse> {
  const version = await oneOrNotFound(
    db
      .select()
      .from(brandKitVersions)
      .where(and(eq(brandKitVersions.brandKitId, kit.id), eq(brandKitVersions.version, kit.currentVersion))),
    `Brand kit ${kit.id} version ${kit.currentVersion}`,
  );
  return {
    id: kit.id,
    advertiserId: kit.advertiserId,
    version: kit.currentVersion,
    ...version.kit,
    createdAt: kit.createdAt.toISOString(),
    updatedAt: kit.updatedAt.toISOString(),
  };
}

export async function visibleBrandKit(db: Database, principal: Principal, id: number): Promise<BrandKitRow> {
  return oneOrNotFound(
    db
      .select()
      .from(brandKits)
      .where(and(eq(brandKits.id, id), scope(principal))),
    `Brand kit ${id}`,
  );
}

export async function getBrandKit(db: Database, principal: Principal, id: number) {
  return currentKit(db, await visibleBrandKit(db, principal, id));
}

export async function listBrandKits(
  db: Database,
  principal: Principal,
  query: { limit: number; after?: number | undefined; advertiserId?: number | undefined },
) {
  const rows = await keysetPage(
    db.select().from(brandKits).$dynamic(),
    brandKits.id,
    query,
    scope(principal),
    query.advertiserId ? eq(brandKits.advertiserId, query.advertiserId) : undefined,
  );
  return { rows, kits: await Promise.all(rows.map((r) => currentKit(db, r))) };
}

/** The logo must be an image of the same advertiser the renderer can read. */
async function checkLogo(db: Database, advertiserId: number, logoAssetId: number | null) {
  if (logoAssetId === null) return;
  const [asset] = await db
    .select({ contentType: creativeAssets.contentType })
    .from(creativeAssets)
    .where(and(eq(creativeAssets.id, logoAssetId), eq(creativeAssets.advertiserId, advertiserId)));
  if (!asset) throw new ApiError('not_found', `Creative asset ${logoAssetId} does not exist.`);
  if (!['image/png', 'image/jpeg', 'image/webp'].includes(asset.contentType))
    throw new ApiError('unsupported_type', 'A logo must be a PNG, JPEG or WebP image.');
}

function stored(input: z.output<typeof brandKitFields>): StoredBrandKit {
  return {
    name: input.name,
    colors: input.colors,
    font: input.font,
    logoAssetId: input.logoAssetId,
    tone: input.tone ?? null,
    bannedWords: input.bannedWords,
  };
}

export async function createBrandKit(
  db: Database,
  principal: Principal,
  input: z.output<typeof brandKitCreateRequestSchema>,
): Promise<BrandKitResponse> {
  const advertiserId = principal.role === 'admin' ? input.advertiserId : principal.advertiserId;
  if (!advertiserId)
    throw new ApiError('invalid_request', 'Invalid body: advertiserId: required for admins.');
  await checkLogo(db, advertiserId, input.logoAssetId);
  const kit = await db.transaction(async (tx) => {
    const [row] = await tx.insert(brandKits).values({ advertiserId, currentVersion: 1 }).returning();
    if (!row) throw new Error('insert returned no row');
    await tx
      .insert(brandKitVersions)
      .values({ brandKitId: row.id, version: 1, kit: stored(input), createdBy: principal.userId });
    return row;
  });
  return currentKit(db, kit);
}

/** A save is a new version; the kit row is locked so two saves get two numbers. */
export async function saveBrandKit(
  db: Database,
  principal: Principal,
  id: number,
  input: z.output<typeof brandKitRequestSchema>,
): Promise<BrandKitResponse> {
  const kit = await visibleBrandKit(db, principal, id);
  await checkLogo(db, kit.advertiserId, input.logoAssetId);
  const saved = await db.transaction(async (tx) => {
    const [locked] = await tx.select().from(brandKits).where(eq(brandKits.id, id)).for('update');
    if (!locked) throw new ApiError('not_found', `Brand kit ${id} does not exist.`);
    const version = locked.currentVersion + 1;
    await tx
      .insert(brandKitVersions)
      .values({ brandKitId: id, version, kit: stored(input), createdBy: principal.userId });
    const [row] = await tx
      .update(brandKits)
      .set({ currentVersion: version })
      .where(eq(brandKits.id, id))
      .returning();
    if (!row) throw new Error('update returned no row');
    return row;
  });
  return currentKit(db, saved);
}
