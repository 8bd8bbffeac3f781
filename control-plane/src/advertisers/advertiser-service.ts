import { and, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  companyProfileCreateFields,
  companyProfileFields,
  companyProfileResponseFields,
} from '../accounts/company-profile.ts';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { type Advertiser, advertisers } from '../db/schema/advertisers.ts';
import { keysetPage, oneOrNotFound } from '../db/scoped-rows.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { ApiError } from '../http/api-error.ts';
import { publishAdvertiserOffers } from './advertiser-offers-at-edge.ts';

const billingAddress = z.string().max(2000).nullable();

export const advertiserCreateRequestSchema = z
  .object({
    ...companyProfileCreateFields,
    billingAddress: billingAddress.optional(),
    status: z.enum(['active', 'suspended']).default('active'),
  })
  .describe('A new advertiser')
  .meta({ id: 'AdvertiserCreateRequest' });
export type AdvertiserCreateRequest = z.input<typeof advertiserCreateRequestSchema>;

export const advertiserUpdateRequestSchema = z
  .object({
    ...companyProfileFields,
    billingAddress,
    status: z
      .enum(['active', 'suspended'])
      .describe(
        "Admins only. suspended: its users' sessions and API keys are refused (account_suspended) and its " +
          'offers are paused at the edge; active again: both come back as they were',
      ),
  })
  .partial()
  .meta({ id: 'AdvertiserUpdateRequest' });

export const advertiserResponseSchema = z
  .object({
    id: z.number().int(),
    ...companyProfileResponseFields,
    billingAddress: z.string().nullable(),
    status: z.enum(['active', 'suspended']),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Advertiser' });

export function advertiserResponse(a: Advertiser): z.infer<typeof advertiserResponseSchema> {
  const { userId: _userId, createdAt, updatedAt, ...rest } = a;
  return { ...rest, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
}

export async function createAdvertiser(db: Database, input: AdvertiserCreateRequest): Promise<Advertiser> {
  const [advertiser] = await db
    .insert(advertisers)
    .values(advertiserCreateRequestSchema.parse(input))
    .returning();
  if (!advertiser) throw new Error('insert returned no row');
  return advertiser;
}

/** Admins see every advertiser; an advertiser user only its own; affiliates none (routes refuse them). */
function advertiserScope(principal: Principal): SQL | undefined {
  return principal.role === 'admin' ? undefined : eq(advertisers.id, principal.advertiserId ?? -1);
}

export function listAdvertisers(
  db: Database,
  principal: Principal,
  page: { limit: number; after?: number | undefined },
) {
  return keysetPage(
    db.select().from(advertisers).$dynamic(),
    advertisers.id,
    page,
    advertiserScope(principal),
  );
}

export async function visibleAdvertiser(db: Database, principal: Principal, id: number): Promise<Advertiser> {
  return oneOrNotFound(
    db
      .select()
      .from(advertisers)
      .where(and(eq(advertisers.id, id), advertiserScope(principal))),
    `Advertiser ${id}`,
  );
}

export type AdvertiserDeps = { db: Database; edge: EdgePublisher };

/**
 * Changes an advertiser. A change of status republishes its offers in the same transaction
 * (paused at the edge while it is suspended), so the edge refusing them leaves the status as it was.
 */
export async function updateAdvertiser(
  { db, edge }: AdvertiserDeps,
  principal: Principal,
  id: number,
  patch: z.output<typeof advertiserUpdateRequestSchema>,
): Promise<Advertiser> {
  await visibleAdvertiser(db, principal, id);
  if (patch.status !== undefined && principal.role !== 'admin') {
    throw new ApiError('forbidden', 'Only admins change an advertiser status.');
  }
  return db.transaction(async (tx) => {
    const before = await oneOrNotFound(
      tx.select().from(advertisers).where(eq(advertisers.id, id)).for('update'),
      `Advertiser ${id}`,
    );
    const advertiser = await oneOrNotFound(
      tx.update(advertisers).set(patch).where(eq(advertisers.id, id)).returning(),
      `Advertiser ${id}`,
    );
    if (advertiser.status !== before.status) await publishAdvertiserOffers(tx, edge, id);
    return advertiser;
  });
}
