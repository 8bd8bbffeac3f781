import { entityIdParamSchema, entityIdSchema } from '@tas/shared/ids';
import { minorUnitsSchema } from '@tas/shared/money';
import { z } from 'zod';

export const conversionStatusSchema = z.enum(['pending', 'approved', 'rejected']);

export const conversionListQuerySchema = z.object({
  status: conversionStatusSchema.optional(),
  offerId: entityIdParamSchema.optional(),
  affiliateId: entityIdParamSchema.optional(),
  txid: z.string().min(1).max(255).optional(),
  clickId: z.string().min(1).max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('Conversions at or after this time'),
  to: z.iso.datetime({ offset: true }).optional().describe('Conversions before this time'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z
    .string()
    .max(200)
    .optional()
    .describe('nextCursor of the previous page (pages go from newest to oldest)'),
});
export type ConversionListQuery = z.infer<typeof conversionListQuerySchema>;

/**
 * A conversion as each role may see it: admins everything; an advertiser what it pays (revenue),
 * not the affiliate's payout; an affiliate its payout, not the advertiser's revenue.
 */
export const conversionResponseSchema = z
  .object({
    id: z.uuid(),
    clickId: z.string(),
    clickedAt: z.iso.datetime(),
    occurredAt: z.iso.datetime(),
    offerId: z.number().int(),
    affiliateId: z.number().int(),
    campaignId: z.number().int().nullable(),
    event: z.string(),
    amountMinor: z
      .number()
      .int()
      .nullable()
      .describe("Sale amount in the offer's currency (converted by the network's rate when sent in another)"),
    currency: z.string().nullable(),
    sentAmountMinor: z
      .number()
      .int()
      .nullable()
      .describe('The amount as sent, when it was in another currency'),
    sentCurrency: z.string().nullable(),
    exchangeRate: z.string().nullable().describe('The rate that converted sentCurrency into currency'),
    txid: z.string().nullable(),
    status: conversionStatusSchema,
    payoutMinor: z.number().int().optional().describe('Affiliate payout (not shown to advertisers)'),
    revenueMinor: z.number().int().optional().describe('Advertiser revenue (not shown to affiliates)'),
    payoutCurrency: z.string(),
    source: z.string(),
    fraudFlags: z.array(z.string()),
    reason: z
      .string()
      .nullable()
      .describe(
        'Why the edge recorded it rejected: cap_reached, click_not_payable, affiliate_inactive, affiliate_not_approved',
      ),
    sub1: z.string().nullable(),
    sub2: z.string().nullable(),
    sub3: z.string().nullable(),
    sub4: z.string().nullable(),
    sub5: z.string().nullable(),
    country: z.string().nullable(),
    device: z.string().nullable(),
    receivedAt: z.iso.datetime(),
  })
  .meta({ id: 'Conversion' });
export type ConversionResponse = z.infer<typeof conversionResponseSchema>;

export const conversionActionSchema = z
  .enum(['approve', 'reject', 'pend', 'reverse', 'adjust'])
  .describe(
    'approve / reject / pend set the status; reverse rejects a conversion already counted (e.g. a refund); ' +
      'adjust sets new payout and/or revenue amounts',
  );

export const conversionChangeRequestSchema = z
  .object({
    action: conversionActionSchema,
    conversionIds: z.array(z.uuid()).min(1).max(10_000).optional(),
    txids: z.array(z.string().min(1).max(255)).min(1).max(10_000).optional().describe('With offerId'),
    offerId: entityIdSchema.optional().describe('The offer the txids belong to'),
    payoutMinor: minorUnitsSchema.min(0).optional().describe('adjust: the new affiliate payout'),
    revenueMinor: minorUnitsSchema.min(0).optional().describe('adjust: the new advertiser revenue'),
    reason: z.string().trim().min(1).max(500).optional(),
    dryRun: z
      .boolean()
      .default(true)
      .describe('Default true: count what would change and change nothing; send false to apply'),
  })
  .refine((r) => (r.conversionIds ? 1 : 0) + (r.txids ? 1 : 0) === 1, {
    message: 'give either conversionIds or txids',
    path: ['conversionIds'],
  })
  .refine((r) => !r.txids || r.offerId !== undefined, { message: 'txids need offerId', path: ['offerId'] })
  .refine((r) => r.action !== 'adjust' || r.payoutMinor !== undefined || r.revenueMinor !== undefined, {
    message: 'adjust needs payoutMinor and/or revenueMinor',
    path: ['payoutMinor'],
  })
  .refine((r) => r.action === 'adjust' || (r.payoutMinor === undefined && r.revenueMinor === undefined), {
    message: 'amounts are only for adjust',
    path: ['payoutMinor'],
  })
  .refine((r) => (r.action !== 'reverse' && r.action !== 'adjust') || r.reason !== undefined, {
    message: 'reverse and adjust need a reason',
    path: ['reason'],
  })
  .meta({ id: 'ConversionChangeRequest' });
export type ConversionChangeRequest = z.output<typeof conversionChangeRequestSchema>;

export const conversionChangeResponseSchema = z
  .object({
    dryRun: z.boolean(),
    matched: z.number().int().describe('Conversions found (that you may change)'),
    changed: z.number().int().describe('Conversions that change (or would, on a dry run)'),
    conversionIds: z.array(z.uuid()).describe('The first 1000 of those that change'),
  })
  .meta({ id: 'ConversionChangeResult' });
