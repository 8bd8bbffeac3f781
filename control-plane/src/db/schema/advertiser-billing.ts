import { integer, jsonb, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { advertisers } from './advertisers.ts';

/*
 * How an advertiser pays (issue 10): prepaid (tops up its balance; its offers stop at the edge when
 * the balance runs out) or postpaid (an invoice per period through Stripe Invoicing, net terms,
 * and a credit limit past which its offers stop the same way). Amounts are per currency, in minor
 * units of that currency: an advertiser with offers in USD and EUR has a USD and a EUR account.
 */

export const billingMode = pgEnum('billing_mode', ['prepaid', 'postpaid']);
export const invoicePeriod = pgEnum('invoice_period', ['weekly', 'monthly']);

/**
 * An advertiser's billing terms; an advertiser without a row is postpaid, monthly, net 30, with no
 * credit limit (what TAS did before it billed anyone: nothing stops).
 */
export const advertiserBillingSettings = pgTable('advertiser_billing_settings', {
  advertiserId: integer()
    .primaryKey()
    .references(() => advertisers.id),
  mode: billingMode().notNull().default('postpaid'),
  /** Postpaid: offers stop when what is owed (approved and pending) reaches this; absent: no limit. */
  creditLimitByCurrency: jsonb().$type<Record<string, number>>().notNull().default({}),
  /** Prepaid: the advertiser is emailed once when its available balance falls below this. */
  lowBalanceByCurrency: jsonb().$type<Record<string, number>>().notNull().default({}),
  invoicePeriod: invoicePeriod().notNull().default('monthly'),
  /** Net terms of postpaid invoices: due this many days after they are sent. */
  netTermsDays: integer().notNull().default(30),
  /** The advertiser's Stripe customer, created with its first invoice. */
  stripeCustomerId: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
export type AdvertiserBillingSettingsRow = typeof advertiserBillingSettings.$inferSelect;
