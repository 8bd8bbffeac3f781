import { currencySchema } from '@tas/shared/money';
import { z } from 'zod';
import { pageQuerySchema, pageResponseSchema } from '../http/list-query.ts';
import { accountKindSchema } from './ledger-accounts.ts';
import { layerSchema, transferKindSchema } from './post-transfer.ts';

const accountSchema = z
  .object({
    kind: accountKindSchema.describe(
      'advertiser (what it prepaid minus what it owes), affiliate_payable (what the network owes the affiliate), ' +
        'network_revenue (the margin), processor_cash, payouts_in_transit',
    ),
    ownerId: z.string().describe("The advertiser's or affiliate's id, the processor's name, or `network`"),
    currency: currencySchema,
  })
  .meta({ id: 'LedgerAccount' });

export const balanceQuerySchema = pageQuerySchema.extend({
  kind: accountKindSchema.optional().describe('Only accounts of this kind'),
  ownerId: z.string().min(1).max(64).optional().describe('Only accounts of this owner'),
  currency: currencySchema.optional(),
});

export const balanceResponseSchema = z
  .object({
    accountId: z.number().int(),
    kind: accountKindSchema,
    ownerId: z.string(),
    currency: currencySchema,
    pendingMinor: z
      .number()
      .int()
      .describe(
        'Held by pending conversions, not owed yet; credit-positive for advertiser, affiliate_payable and network_revenue',
      ),
    postedMinor: z.number().int().describe('Owed for real, same sign convention'),
  })
  .meta({ id: 'LedgerBalance' });
export const balancePageSchema = pageResponseSchema(balanceResponseSchema);

export const transferQuerySchema = pageQuerySchema.extend({
  conversionId: z.uuid().optional(),
  payoutId: z.uuid().optional(),
  kind: transferKindSchema.optional(),
  accountId: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Only transfers with an entry on this account'),
  order: z
    .enum(['asc', 'desc'])
    .default('asc')
    .describe('asc: oldest first; desc: newest first (`after` then continues below that id)'),
});

export const transferResponseSchema = z
  .object({
    id: z.number().int(),
    idempotencyKey: z.string().describe('Each movement of money is written once under its key'),
    kind: transferKindSchema,
    conversionId: z.uuid().nullable(),
    payoutId: z.uuid().nullable(),
    pendingTransferId: z.number().int().nullable(),
    memo: z.string().nullable(),
    createdAt: z.iso.datetime(),
    entries: z
      .array(
        z.object({
          accountId: z.number().int(),
          account: accountSchema,
          layer: layerSchema.describe('pending: held by pending conversions; posted: owed for real'),
          amountMinor: z
            .number()
            .int()
            .describe('As stored: debit positive, credit negative (a transfer nets to zero)'),
          presentedMinor: z.number().int().describe("As the account's owner reads it (the sign of balances)"),
        }),
      )
      .describe('Its entries; an advertiser or affiliate sees only those on its own accounts'),
  })
  .meta({ id: 'LedgerTransfer' });
export const transferPageSchema = pageResponseSchema(transferResponseSchema);

export const reconciliationQuerySchema = z.object({
  maxDifferences: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(1000)
    .describe('List at most this many differences (all are counted)'),
  since: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("Compare the processors' records made since then (default: the last 90 days)"),
});

const reconciliationPartSchema = z.object({
  name: z.string().describe('stripe, paypal'),
  status: z.enum(['clean', 'differences', 'not_checked']),
  differences: z.number().int(),
  reason: z
    .enum(['not_configured', 'unavailable'])
    .nullable()
    .describe('Why not checked: the processor has no keys here, or could not be read (down, keys refused)'),
  message: z.string().nullable(),
});

export const reconciliationResponseSchema = z
  .object({
    checkedAt: z.iso.datetime(),
    since: z.iso.datetime().describe("The processors' records made since then were compared"),
    clean: z.boolean().describe('No check that ran found a difference'),
    complete: z
      .boolean()
      .describe(
        'Every part was checked: false when a processor could not be read, or is not configured while TAS has ' +
          'top-ups or payouts through it in the window',
      ),
    checks: z.array(
      z.object({
        name: z.string().describe('transfers, conversions, payouts, invoices, processors'),
        status: z.enum(['clean', 'differences', 'not_checked']),
        differences: z.number().int(),
        parts: z.array(reconciliationPartSchema).optional().describe('processors: one part per processor'),
      }),
    ),
    differences: z.array(
      z.object({
        check: z.string(),
        code: z
          .string()
          .describe(
            'unbalanced_transfer, empty_transfer, conversion_not_posted (run `ledger sync`), conversion_mismatch, ' +
              'conversion_unpostable, transfer_without_conversion, payout_transfer_without_payout, ' +
              'payout_steps_mismatch, payout_amount_mismatch, processor_amount_mismatch, processor_status_mismatch, ' +
              'processor_destination_mismatch, processor_record_missing, processor_unknown_record, ' +
              'processor_duplicate_record',
          ),
        message: z.string(),
        transferId: z.number().int().nullable(),
        conversionId: z.uuid().nullable(),
        payoutId: z.uuid().nullable(),
        topUpId: z.uuid().nullable(),
        processor: z.string().nullable().describe('stripe, paypal: the processor whose record differs'),
        processorRecordId: z
          .string()
          .nullable()
          .describe("The processor's id: a Checkout Session, a transfer, a PayPal payout item or batch"),
        account: accountSchema.nullable(),
        layer: layerSchema.nullable(),
        expectedMinor: z
          .number()
          .int()
          .nullable()
          .describe("As stored: debit positive. For a processor's record: the processor's figure"),
        actualMinor: z.number().int().nullable(),
      }),
    ),
    differencesTotal: z.number().int(),
  })
  .meta({ id: 'LedgerReconciliation' });
