import { MAX_CREATIVES_PER_CAMPAIGN } from '@tas/shared/campaign-serving';
import { entityIdSchema } from '@tas/shared/ids';
import { httpUrlSchema } from '@tas/shared/offer-config';
import { and, count, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { publishOffers } from '../campaigns/campaign-budget-state.ts';
import { visibleCampaign } from '../campaigns/campaign-service.ts';
import type { Database } from '../db/database.ts';
import { campaigns } from '../db/schema/campaigns.ts';
import { type Creative, creatives } from '../db/schema/creatives.ts';
import { offers } from '../db/schema/offers.ts';
import { keysetPage, oneOrNotFound } from '../db/scoped-rows.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { ApiError } from '../http/api-error.ts';
import { offerScope } from '../offers/offer-views.ts';

const creativeTypeSchema = z.enum(['image', 'video', 'html']);
const fields = {
  name: z.string().trim().min(1).max(200),
  type: creativeTypeSchema,
  url: httpUrlSchema.describe('Where the asset is hosted'),
  size: z
    .string()
    .regex(/^\d{1,5}x\d{1,5}$/, 'WIDTHxHEIGHT, e.g. 300x250')
    .nullable(),
};

export const creativeCreateRequestSchema = z
  .object({ campaignId: entityIdSchema, ...fields, size: fields.size.optional() })
  .describe('Creative metadata (the asset itself is hosted elsewhere)')
  .meta({ id: 'CreativeCreateRequest' });
export const creativeUpdateRequestSchema = z.object(fields).partial().meta({ id: 'CreativeUpdateRequest' });

export const creativeResponseSchema = z
  .object({
    id: z.number().int(),
    campaignId: z.number().int(),
    name: z.string(),
    type: creativeTypeSchema,
    url: z.string(),
    size: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Creative' });

export function creativeResponse(c: Creative): z.infer<typeof creativeResponseSchema> {
  return { ...c, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString() };
}

/**
 * Admins see all creatives, advertisers those of their campaigns, affiliates those of campaigns
 * promoting an offer they may see (to put them on their sites).
 */
function creativeScope(principal: Principal): SQL | undefined {
  if (principal.role === 'admin') return undefined;
  if (principal.role === 'advertiser') return eq(campaigns.advertiserId, principal.advertiserId ?? -1);
  return offerScope(principal);
}

/** Creatives with what their scope looks at: the campaign's advertiser, the offer's audience. */
function creativesWithCampaigns(db: Database) {
  return db
    .select({ creative: creatives })
    .from(creatives)
    .innerJoin(campaigns, eq(campaigns.id, creatives.campaignId))
    .leftJoin(offers, eq(offers.id, campaigns.offerId));
}

export async function listCreatives(
  db: Database,
  principal: Principal,
  query: {
    limit: number;
    after?: number | undefined;
    campaignId?: number | undefined;
    offerId?: number | undefined;
  },
): Promise<Creative[]> {
  const rows = await keysetPage(
    creativesWithCampaigns(db).$dynamic(),
    creatives.id,
    query,
    creativeScope(principal),
    query.campaignId ? eq(creatives.campaignId, query.campaignId) : undefined,
    query.offerId ? eq(campaigns.offerId, query.offerId) : undefined,
  );
  return rows.map((r) => r.creative);
}

export async function visibleCreative(db: Database, principal: Principal, id: number): Promise<Creative> {
  const row = await oneOrNotFound(
    creativesWithCampaigns(db).where(and(eq(creatives.id, id), creativeScope(principal))),
    `Creative ${id}`,
  );
  return row.creative;
}

export async function createCreative(
  { db, edge }: { db: Database; edge: EdgePublisher },
  principal: Principal,
  input: z.output<typeof creativeCreateRequestSchema>,
): Promise<Creative> {
  const campaign = await visibleCampaign(db, principal, input.campaignId);
  return db.transaction(async (tx) => {
    // The campaign's creatives travel in its offer's configuration, up to a limit the edge keeps;
    // the campaign row is locked so that concurrent additions count one after the other.
    await tx.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, campaign.id)).for('update');
    const [existing] = await tx
      .select({ n: count() })
      .from(creatives)
      .where(eq(creatives.campaignId, campaign.id));
    if ((existing?.n ?? 0) >= MAX_CREATIVES_PER_CAMPAIGN) {
      throw new ApiError(
        'conflict',
        `Campaign ${campaign.id} already has ${MAX_CREATIVES_PER_CAMPAIGN} creatives, the most it may have.`,
      );
    }
    const [row] = await tx.insert(creatives).values(input).returning();
    if (!row) throw new Error('insert returned no row');
    // The edge holds a creative's clicks back with its campaign, so it must know the creative.
    await publishOffers(tx, edge, campaign.offerId === null ? [] : [campaign.offerId]);
    return row;
  });
}

export async function updateCreative(
  { db, edge }: { db: Database; edge: EdgePublisher },
  principal: Principal,
  id: number,
  patch: z.output<typeof creativeUpdateRequestSchema>,
): Promise<Creative> {
  const creative = await visibleCreative(db, principal, id);
  const campaign = await visibleCampaign(db, principal, creative.campaignId);
  return db.transaction(async (tx) => {
    const row = await oneOrNotFound(
      tx.update(creatives).set(patch).where(eq(creatives.id, id)).returning(),
      `Creative ${id}`,
    );
    // Ad tags show the creative from its offer's configuration (its url, size, type and name).
    await publishOffers(tx, edge, campaign.offerId === null ? [] : [campaign.offerId]);
    return row;
  });
}
