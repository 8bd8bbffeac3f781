import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { type Advertiser, advertisers } from '../db/schema/advertisers.ts';

export const advertiserCreateRequestSchema = z
  .object({
    companyName: z.string().trim().min(1).max(200),
    websiteUrl: z.url().max(2048).nullish(),
    contactEmail: z.email().nullish(),
    contactPhone: z.string().max(50).nullish(),
    billingAddress: z.string().max(2000).nullish(),
  })
  .describe('A new advertiser');
export type AdvertiserCreateRequest = z.input<typeof advertiserCreateRequestSchema>;

export async function createAdvertiser(db: Database, input: AdvertiserCreateRequest): Promise<Advertiser> {
  const [advertiser] = await db
    .insert(advertisers)
    .values(advertiserCreateRequestSchema.parse(input))
    .returning();
  if (!advertiser) throw new Error('insert returned no row');
  return advertiser;
}
