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
  })
  .meta({ id: 'BillingSettings' });
export type BillingSettings = z.infer<typeof billingSettingsSchema>;

/** What an advertiser without saved terms is billed on: postpaid, monthly, net 30, no credit limit. */
export const DEFAULT_BILLING_TERMS: BillingTerms = {
  mode: 'postpaid',
  creditLimitByCurrency: {},
  lowBalanceByCurrency: {},
  invoicePeriod: 'monthly',
  netTermsDays: 30,
};

function settingsOf(advertiserId: number, row: AdvertiserBillingSettingsRow | undefined): BillingSettings {
  if (!row) return { advertiserId, ...DEFAULT_BILLING_TERMS, stripeCustomerId: null };
  return {
    advertiserId,
    mode: row.mode,
    creditLimitByCurrency: row.creditLimitByCurrency,
    lowBalanceByCurrency: row.lowBalanceByCurrency,
    invoicePeriod: row.invoicePeriod,
    netTermsDays: row.netTermsDays,
    stripeCustomerId: row.stripeCustomerId,
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

/** Remembers the advertiser's Stripe customer (first invoice). */
export async function saveStripeCustomer(
  db: Database,
  advertiserId: number,
  customerId: string,
): Promise<void> {
  await db
    .insert(advertiserBillingSettings)
    .values({ advertiserId, stripeCustomerId: customerId })
    .onConflictDoUpdate({
      target: advertiserBillingSettings.advertiserId,
      set: { stripeCustomerId: customerId, updatedAt: new Date() },
    });
}
