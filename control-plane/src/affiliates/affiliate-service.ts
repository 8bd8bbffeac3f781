import type { AffiliateConfig } from '@tas/shared/affiliate-config';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { type Affiliate, affiliates } from '../db/schema/affiliates.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { ApiError } from '../http/api-error.ts';

export const affiliateCreateRequestSchema = z
  .object({
    companyName: z.string().trim().min(1).max(200),
    websiteUrl: z.url().max(2048).nullish(),
    contactEmail: z.email().nullish(),
    contactPhone: z.string().max(50).nullish(),
    status: z.enum(['pending', 'active', 'suspended']).default('active'),
  })
  .describe('A new affiliate');
export type AffiliateCreateRequest = z.input<typeof affiliateCreateRequestSchema>;

/** The edge only distinguishes affiliates that may send traffic from those that may not. */
export function affiliateConfigFor(affiliate: Affiliate): AffiliateConfig {
  return {
    id: affiliate.id,
    status: affiliate.status === 'active' ? 'active' : 'suspended',
    revision: Math.floor(affiliate.updatedAt.getTime() / 1000),
  };
}

export async function createAffiliate(
  { db, edge }: { db: Database; edge: EdgePublisher },
  input: AffiliateCreateRequest,
): Promise<Affiliate> {
  const values = affiliateCreateRequestSchema.parse(input);
  return db.transaction(async (tx) => {
    const [affiliate] = await tx.insert(affiliates).values(values).returning();
    if (!affiliate) throw new Error('insert returned no row');
    await edge.publish({ upsert: { affiliates: [affiliateConfigFor(affiliate)] } });
    return affiliate;
  });
}

export async function setAffiliateStatus(
  { db, edge }: { db: Database; edge: EdgePublisher },
  affiliateId: number,
  status: Affiliate['status'],
): Promise<Affiliate> {
  return db.transaction(async (tx) => {
    const [affiliate] = await tx
      .update(affiliates)
      .set({ status })
      .where(eq(affiliates.id, affiliateId))
      .returning();
    if (!affiliate) throw new ApiError('not_found', `Affiliate ${affiliateId} does not exist.`);
    await edge.publish({ upsert: { affiliates: [affiliateConfigFor(affiliate)] } });
    return affiliate;
  });
}
