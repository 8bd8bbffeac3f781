import { currencySchema } from '@tas/shared/money';
import { z } from 'zod';

export const topUpRequestSchema = z
  .object({
    advertiserId: z
      .number()
      .int()
      .positive()
      .max(2 ** 31 - 1)
      .optional()
      .describe('Admins: whose balance to top up. Advertisers top up their own (may be omitted)'),
    amountMinor: z
      .number()
      .int()
      .min(100)
      .max(100_000_000)
      .describe('Integer minor units of the currency (100 = $1.00); at most 1,000,000.00'),
    currency: currencySchema,
  })
  .meta({ id: 'TopUpRequest' });

export const topUpSchema = z
  .object({
    id: z.uuid(),
    advertiserId: z.number().int(),
    amountMinor: z.number().int(),
    currency: currencySchema,
    status: z
      .enum(['open', 'paid', 'expired', 'failed'])
      .describe('open until Stripe says the session was paid (credited then), expired or failed'),
    checkoutUrl: z.string().nullable().describe("Stripe's hosted payment page, to send the payer to"),
    createdAt: z.iso.datetime(),
    settledAt: z.iso.datetime().nullable(),
    failure: z.string().nullable(),
  })
  .meta({ id: 'TopUp' });

export const topUpListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime().optional().describe('Continue before this time (nextBefore of the previous page)'),
  advertiserId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1)
    .optional()
    .describe('Admins: only this advertiser'),
});

export const topUpPageSchema = z.object({
  data: z.array(topUpSchema),
  nextBefore: z.iso.datetime().nullable(),
});
