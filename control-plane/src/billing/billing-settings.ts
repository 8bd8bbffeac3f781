import { currencySchema } from '@tas/shared/money';
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import {
  type AdvertiserBillingSettingsRow,
  advertiserBillingSettings,
  billingMode,
  invoicePeriod,
} from '../db/schema/advertiser-billing.ts';

export const billingModeSchema = z.enum(billingMode.enumValues);
export type BillingMode = z.infer<typeof billingModeSchema>;
export const invoicePeriodSchema = z.enum(invoicePeriod.enumValues);
export type InvoicePeriod = z.infer<typeof invoicePeriodSchema>;

const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** An advertiser's billing terms as the API takes and shows them. */
export const billingTermsSchema = z
  .object({
    mode: billingModeSchema.describe(
      'prepaid: tops up; offers stop at the edge when the balance runs out. postpaid: invoiced per period',
    ),
    creditLimitByCurrency: z
      .record(currencySchema, minor)
      .describe('Postpaid: offers stop when what is owed in a currency reaches its limit (minor units)'),
    lowBalanceByCurrency: z
      .record(currencySchema, minor)
      .describe('Prepaid: emailed once when the available balance falls below this (minor units)'),
    invoicePeriod: invoicePeriodSchema.describe('Postpaid: one invoice per UTC week (Monday first) or month'),
    netTermsDays: z
      .number()
      .int()
      .min(0)
      .max(120)
      .describe('Postpaid: invoices are due this many days after sending'),
  })
  .meta({ id: 'BillingTerms' });
export type BillingTerms = z.infer<typeof billingTermsSchema>;

export const billingSettingsSchema = billingTermsSchema
  .extend({
    advertiserId: z.number().int(),
    stripeCustomerId: z.string().nullable().describe('Stripe customer of the invoices, made with the first'),
    termsSaved: z
      .boolean()
      .describe(
        'Whether an admin has set terms. Without them the advertiser is billed outside TAS: never invoiced, never stopped',
      ),
  })
  .meta({ id: 'BillingSettings' });
export type BillingSettings = z.infer<typeof billingSettingsSchema>;

/**
 * The terms shown for an advertiser none were saved for: postpaid, monthly, net 30, no credit
 * limit. Such an advertiser is billed outside TAS: the invoicing run skips it and, with no limit,
 * its offers never stop (what TAS did before it billed anyone).
 */
export const DEFAULT_BILLING_TERMS: BillingTerms = {
  mode: 'postpaid',
  creditLimitByCurrency: {},
  lowBalanceByCurrency: {},
  invoicePeriod: 'monthly',
  netTermsDays: 30,
};

function settingsOf(advertiserId: number, row: AdvertiserBillingSettingsRow | undefined): BillingSettings {
  if (!row) return { advertiserId, ...DEFAULT_BILLING_TERMS, stripeCustomerId: null, termsSaved: false };
  return {
    advertiserId,
    mode: row.mode,
    creditLimitByCurrency: row.creditLimitByCurrency,
    lowBalanceByCurrency: row.lowBalanceByCurrency,
    invoicePeriod: row.invoicePeriod,
    netTermsDays: row.netTermsDays,
    stripeCustomerId: row.stripeCustomerId,
    termsSaved: true,
  };
}

/** An advertiser's billing settings; the defaults until someone saves terms. */
export async function readBillingSettings(db: Database, advertiserId: number): Promise<BillingSettings> {
  const [row] = await db
    .select()
    .from(advertiserBillingSettings)
    .where(eq(advertiserBillingSettings.advertiserId, advertiserId));
  return settingsOf(advertiserId, row);
}

/** Billing settings of many advertisers at once (defaults for those without a row). */
export async function readBillingSettingsOf(
  db: Database,
  advertiserIds: readonly number[],
): Promise<Map<number, BillingSettings>> {
  const rows =
    advertiserIds.length === 0
      ? []
      : await db
          .select()
          .from(advertiserBillingSettings)
          .where(inArray(advertiserBillingSettings.advertiserId, [...advertiserIds]));
  const byId = new Map(rows.map((row) => [row.advertiserId, row]));
  return new Map(advertiserIds.map((id) => [id, settingsOf(id, byId.get(id))]));
}

/** Saves an advertiser's terms (the Stripe customer is kept). */
export async function saveBillingTerms(
  db: Database,
  advertiserId: number,
  terms: BillingTerms,
): Promise<BillingSettings> {
  const values = { ...terms, updatedAt: new Date() };
  await db
    .insert(advertiserBillingSettings)
    .values({ advertiserId, ...values })
    .onConflictDoUpdate({ target: advertiserBillingSettings.advertiserId, set: values });
  return readBillingSettings(db, advertiserId);
}

/**
 * Remembers the advertiser's Stripe customer (first invoice). An update only: invoices go to
 * advertisers with saved terms, so the row exists, and a row is what says terms were saved.
 */
export async function saveStripeCustomer(
  db: Database,
  advertiserId: number,
  customerId: string,
): Promise<void> {
  await db
    .update(advertiserBillingSettings)
    .set({ stripeCustomerId: customerId, updatedAt: new Date() })
    .where(eq(advertiserBillingSettings.advertiserId, advertiserId));
}
