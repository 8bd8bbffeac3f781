import type { AffiliateConfig } from '@tas/shared/affiliate-config';
import { and, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  companyProfileCreateFields,
  companyProfileFields,
  companyProfileResponseFields,
} from '../accounts/company-profile.ts';
import type { Principal } from '../auth/principal.ts';
import type { PaymentDetailsCipher } from '../crypto/payment-details-cipher.ts';
import type { Database } from '../db/database.ts';
import { type Affiliate, affiliates } from '../db/schema/affiliates.ts';
import { keysetPage, oneOrNotFound } from '../db/scoped-rows.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { ApiError } from '../http/api-error.ts';

const affiliateStatusSchema = z
  .enum(['pending', 'active', 'suspended'])
  .describe('Only active affiliates may send traffic');

export const affiliateCreateRequestSchema = z
  .object({
    ...companyProfileCreateFields,
    status: affiliateStatusSchema.default('active'),
  })
  .describe('A new affiliate')
  .meta({ id: 'AffiliateCreateRequest' });
export type AffiliateCreateRequest = z.input<typeof affiliateCreateRequestSchema>;

export const affiliateUpdateRequestSchema = z
  .object({ ...companyProfileFields, status: affiliateStatusSchema.describe('Admins only') })
  .partial()
  .meta({ id: 'AffiliateUpdateRequest' });

export const affiliateResponseSchema = z
  .object({
    id: z.number().int(),
    ...companyProfileResponseFields,
    status: affiliateStatusSchema,
    hasPaymentDetails: z.boolean().describe('Read them at /affiliates/{id}/payment-details'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Affiliate' });

export const paymentDetailsSchema = z
  .discriminatedUnion('method', [
    z.object({ method: z.literal('paypal'), email: z.email().max(254) }),
    z.object({
      method: z.literal('wire'),
      accountHolder: z.string().trim().min(1).max(200),
      iban: z
        .string()
        .transform((s) => s.replace(/\s+/g, '').toUpperCase())
        .pipe(z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/, 'an IBAN')),
      bic: z
        .string()
        .regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/, 'a BIC')
        .nullish(),
      bankName: z.string().max(200).nullish(),
    }),
    z.object({ method: z.literal('other'), instructions: z.string().trim().min(1).max(2000) }),
  ])
  .describe('How the affiliate is paid; encrypted at rest')
  .meta({ id: 'PaymentDetails' });
export type PaymentDetails = z.infer<typeof paymentDetailsSchema>;

export function affiliateResponse(a: Affiliate): z.infer<typeof affiliateResponseSchema> {
  return {
    id: a.id,
    companyName: a.companyName,
    websiteUrl: a.websiteUrl,
    contactEmail: a.contactEmail,
    contactPhone: a.contactPhone,
    status: a.status,
    hasPaymentDetails: a.paymentDetailsEncrypted !== null,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** The edge only distinguishes affiliates that may send traffic from those that may not. */
export function affiliateConfigFor(affiliate: Affiliate): AffiliateConfig {
  return {
    id: affiliate.id,
    status: affiliate.status === 'active' ? 'active' : 'suspended',
    revision: Math.floor(affiliate.updatedAt.getTime() / 1000),
  };
}

export type AffiliateDeps = { db: Database; edge: EdgePublisher };

export async function createAffiliate(
  { db, edge }: AffiliateDeps,
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
  deps: AffiliateDeps,
  affiliateId: number,
  status: Affiliate['status'],
): Promise<Affiliate> {
  return updateAffiliateRow(deps, affiliateId, { status });
}

async function updateAffiliateRow(
  { db, edge }: AffiliateDeps,
  affiliateId: number,
  patch: z.output<typeof affiliateUpdateRequestSchema>,
): Promise<Affiliate> {
  return db.transaction(async (tx) => {
    const [affiliate] = await tx
      .update(affiliates)
      .set(patch)
      .where(eq(affiliates.id, affiliateId))
      .returning();
    if (!affiliate) throw new ApiError('not_found', `Affiliate ${affiliateId} does not exist.`);
    // Only the status matters at the edge; profile edits are not published.
    if (patch.status !== undefined)
      await edge.publish({ upsert: { affiliates: [affiliateConfigFor(affiliate)] } });
    return affiliate;
  });
}

/** Admins see every affiliate; an affiliate user only its own; advertisers none (routes refuse them). */
function affiliateScope(principal: Principal): SQL | undefined {
  return principal.role === 'admin' ? undefined : eq(affiliates.id, principal.affiliateId ?? -1);
}

export function listAffiliates(
  db: Database,
  principal: Principal,
  page: { limit: number; after?: number | undefined },
) {
  return keysetPage(db.select().from(affiliates).$dynamic(), affiliates.id, page, affiliateScope(principal));
}

export async function visibleAffiliate(db: Database, principal: Principal, id: number): Promise<Affiliate> {
  return oneOrNotFound(
    db
      .select()
      .from(affiliates)
      .where(and(eq(affiliates.id, id), affiliateScope(principal))),
    `Affiliate ${id}`,
  );
}

export async function updateAffiliate(
  deps: AffiliateDeps,
  principal: Principal,
  id: number,
  patch: z.output<typeof affiliateUpdateRequestSchema>,
): Promise<Affiliate> {
  await visibleAffiliate(deps.db, principal, id);
  if (patch.status !== undefined && principal.role !== 'admin') {
    throw new ApiError('forbidden', 'Only admins change an affiliate status.');
  }
  return updateAffiliateRow(deps, id, patch);
}

export async function setPaymentDetails(
  db: Database,
  cipher: PaymentDetailsCipher,
  affiliateId: number,
  details: PaymentDetails,
): Promise<void> {
  await db
    .update(affiliates)
    .set({ paymentDetailsEncrypted: cipher.encrypt(affiliateId, JSON.stringify(details)) })
    .where(eq(affiliates.id, affiliateId));
}

export function readPaymentDetails(
  cipher: PaymentDetailsCipher,
  affiliate: Affiliate,
): PaymentDetails | null {
  if (!affiliate.paymentDetailsEncrypted) return null;
  return paymentDetailsSchema.parse(
    JSON.parse(cipher.decrypt(affiliate.id, affiliate.paymentDetailsEncrypted)),
  );
}
