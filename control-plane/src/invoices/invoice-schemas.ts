import { entityIdParamSchema } from '@tas/shared/ids';
import { currencySchema } from '@tas/shared/money';
import { z } from 'zod';
import { periodNameSchema } from './invoice-periods.ts';
import { invoiceStatusSchema } from './invoice-status.ts';

const lineSchema = z.object({
  description: z.string(),
  amountMinor: z.number().int().describe('Minor units; negative for the credit covered by the balance'),
  offerId: z.number().int().nullable(),
});

export const invoiceSchema = z
  .object({
    id: z.uuid(),
    advertiserId: z.number().int(),
    advertiserName: z.string(),
    currency: currencySchema,
    period: z.string().describe('The period it is for: 2026-11 (monthly) or 2026-W48 (weekly)'),
    periodStart: z.iso.datetime().describe('What it charges: ledger movements from here (UTC) ...'),
    periodEnd: z.iso.datetime().describe('... to here, excluded'),
    chargesMinor: z.number().int().describe("The period's approved conversions, net of reversals"),
    amountMinor: z.number().int().describe('What it asks: the charges less what the balance already covered'),
    lines: z.array(lineSchema),
    status: invoiceStatusSchema.describe(
      'draft: not at Stripe yet; open: sent, waiting for payment; paid; void; uncollectible',
    ),
    number: z.string().nullable().describe("Stripe's invoice number"),
    hostedInvoiceUrl: z.string().nullable().describe("Stripe's page to see and pay the invoice"),
    dueAt: z.iso.datetime().nullable(),
    sentAt: z.iso.datetime().nullable(),
    paidAt: z.iso.datetime().nullable(),
    closedAt: z.iso.datetime().nullable().describe('When it became void or uncollectible'),
    failure: z.string().nullable().describe("Stripe's last refusal or failed payment (admins only)"),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Invoice' });

export const invoiceListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Rows per page (1-200)'),
  after: z.uuid().optional().describe('Continue after this id (nextAfter of the previous page)'),
  advertiserId: entityIdParamSchema.optional().describe('Only this advertiser (admins)'),
  status: invoiceStatusSchema.optional(),
  currency: currencySchema.optional(),
});

export const invoicePageSchema = z.object({ data: z.array(invoiceSchema), nextAfter: z.uuid().nullable() });

export const invoiceParamsSchema = z.object({ id: z.uuid().describe('Invoice id') });

export const invoiceRunRequestSchema = z
  .object({
    dryRun: z
      .boolean()
      .default(true)
      .describe('List who would be invoiced what, writing nothing (the default)'),
    advertiserId: z
      .number()
      .int()
      .positive()
      .max(2 ** 31 - 1)
      .optional()
      .describe('Only this advertiser'),
  })
  .meta({ id: 'InvoiceRunRequest' });

export const invoiceDecisionSchema = z.object({
  advertiserId: z.number().int(),
  advertiserName: z.string(),
  currency: currencySchema,
  period: z.string(),
  periodStart: z.iso.datetime(),
  periodEnd: z.iso.datetime(),
  chargesMinor: z.number().int(),
  amountMinor: z.number().int(),
  lines: z.array(lineSchema),
  daysUntilDue: z.number().int(),
  outcome: z
    .enum(['invoice', 'nothing_due', 'covered_by_balance'])
    .describe(
      'invoice: invoiced; nothing_due: reversals outweigh the charges (the credit stays on the balance); ' +
        'covered_by_balance: prepaid funds or earlier credits cover them',
    ),
});

export const invoiceRunResponseSchema = z
  .object({
    dryRun: z.boolean(),
    decisions: z.array(invoiceDecisionSchema),
    issued: z
      .array(z.object({ invoice: invoiceSchema, failure: z.string().nullable() }))
      .describe('Invoices this run took to Stripe, with what stopped any (the next run resumes it)'),
  })
  .meta({ id: 'InvoiceRunResponse' });

export const statementParamsSchema = z.object({ id: entityIdParamSchema.describe('Advertiser id') });

export const statementQuerySchema = z.object({
  period: periodNameSchema,
  currency: currencySchema,
  format: z.enum(['html', 'pdf']).default('html'),
});
