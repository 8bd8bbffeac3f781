import { entityIdParamSchema } from '@tas/shared/ids';
import { currencySchema } from '@tas/shared/money';
import { z } from 'zod';
import { payoutRunStatus, payoutStatus } from '../db/schema/payouts.ts';
import { payoutMethodSchema, skipReasonSchema } from './eligibility.ts';
import { payoutScheduleSchema } from './payout-settings.ts';

const minor = z.number().int();
const time = z.iso.datetime();

export const payoutStatusSchema = z.enum(payoutStatus.enumValues);
export const payoutRunStatusSchema = z.enum(payoutRunStatus.enumValues);

/** Keyset pages of uuid-keyed rows (UUIDv7: id order is time order). */
export const uuidPageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Rows per page (1-200)'),
  after: z.uuid().optional().describe('Continue after this id (nextAfter of the previous page)'),
});
export function uuidPageSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextAfter: z.uuid().nullable() });
}

export const payoutRunRequestSchema = z
  .object({
    dryRun: z
      .boolean()
      .default(true)
      .describe('Default true: list who would be paid what and who is skipped, moving nothing; false to pay'),
    schedule: payoutScheduleSchema
      .optional()
      .describe('Only affiliates on this schedule (their own, else the network default); omitted: everyone'),
  })
  .meta({ id: 'PayoutRunRequest' });

export const payoutLineSchema = z
  .object({
    affiliateId: z.number().int(),
    currency: currencySchema,
    balanceMinor: minor.describe('Posted payable balance, credit-positive'),
    heldMinor: minor.describe('Added by conversions approved within the hold period: paid later'),
    dueMinor: minor.describe('Balance less held, never below zero'),
    minimumMinor: minor,
    method: payoutMethodSchema.nullable(),
    amountMinor: minor.nullable().describe('What is paid; null when skipped'),
    skipReason: skipReasonSchema.nullable(),
  })
  .meta({ id: 'PayoutLine' });

export const payoutRunSchema = z
  .object({
    id: z.uuid().describe("The run's key: PayPal's sender_batch_id"),
    startedBy: z.uuid().nullable().describe('The admin who started it; null when scheduled'),
    periodKey: z.string().nullable(),
    schedule: payoutScheduleSchema.nullable(),
    cutoff: time,
    status: payoutRunStatusSchema.describe('interrupted: a processor could not be reached; resume it'),
    paypalBatchId: z.string().nullable(),
    lastError: z.string().nullable(),
    createdAt: time,
    completedAt: time.nullable(),
  })
  .meta({ id: 'PayoutRun' });

export const payoutRunResponseSchema = z
  .object({
    dryRun: z.boolean(),
    cutoff: time,
    run: payoutRunSchema.nullable().describe('The run created (null for a dry run)'),
    paid: z.array(payoutLineSchema).describe('Who is (or would be) paid what'),
    skipped: z.array(payoutLineSchema).describe('Who is not, and why'),
  })
  .meta({ id: 'PayoutRunResult' });

export const payoutSchema = z
  .object({
    id: z.uuid().describe('The idempotency key at the ledger (payout:{id}) and at the processor'),
    runId: z.uuid(),
    affiliateId: z.number().int(),
    currency: currencySchema,
    amountMinor: minor,
    method: payoutMethodSchema,
    status: payoutStatusSchema,
    processorReference: z.string().nullable().describe('Stripe transfer, PayPal item or batch id'),
    failureReason: z.string().nullable(),
    createdAt: time,
    sentAt: time.nullable(),
    settledAt: time.nullable(),
  })
  .meta({ id: 'Payout' });

export const payoutQuerySchema = uuidPageQuerySchema.extend({
  runId: z.uuid().optional(),
  affiliateId: entityIdParamSchema.optional().describe('Only this affiliate (admins)'),
  status: payoutStatusSchema.optional(),
});

export const uuidParamsSchema = z.object({ id: z.uuid().describe('Id') });
