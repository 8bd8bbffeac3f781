import { currencyExponent, formatDecimalAmount } from '@tas/shared/minor-units';
import { z } from 'zod';

const minor = z.number().int().safe();
const day = z.iso.date();

/**
 * A statement as a document: who it is for, the period (or the payout) it covers, its lines and
 * its summary, in one currency and integer minor units. The ledger fills it (an advertiser's
 * period, an affiliate's payout); statement-html.ts and statement-pdf.ts render it. Kept free of
 * the database so both renderers read exactly the same figures.
 */
export const statementSchema = z.object({
  kind: z.enum(['advertiser_period', 'affiliate_payout']),
  /** Shown as the statement's number and used as the PDF's title, e.g. "ST-2026-11-ADV-3". */
  number: z.string().min(1).max(64),
  issuedAt: z.iso.datetime(),
  periodFrom: day,
  periodTo: day,
  currency: z.string().regex(/^[A-Z]{3}$/),
  network: z.object({ name: z.string().min(1).max(200), address: z.string().max(500).nullable() }),
  party: z.object({
    kind: z.enum(['advertiser', 'affiliate']),
    id: z.number().int().positive(),
    name: z.string().min(1).max(200),
    email: z.string().max(320).nullable(),
  }),
  lines: z.array(
    z.object({
      date: day,
      description: z.string().max(500),
      /** Conversions, clicks ... counted in the line; null when it is a single amount. */
      quantity: z.number().int().nullable(),
      amountMinor: minor,
    }),
  ),
  /** Opening balance, conversions, reversals, top-ups, payouts ... in the order shown. */
  summary: z.array(z.object({ label: z.string().max(200), amountMinor: minor })),
  total: z.object({ label: z.string().max(200), amountMinor: minor }),
  /** Invoices of the period (advertiser statements), shown after the total; none for payouts. */
  invoices: z
    .array(
      z.object({
        number: z.string().max(100),
        period: z.string().max(64),
        status: z.string().max(32),
        dueDate: day.nullable(),
        amountMinor: minor,
      }),
    )
    .default([]),
  notes: z.string().max(2000).nullable(),
});
export type Statement = z.output<typeof statementSchema>;

/**
 * An amount as a reader expects it ("$1,234.50", "¥1,200", "-€3.10"), exact: the digits come
 * from the minor units as a decimal string, never through a float.
 */
export function formatStatementMoney(amountMinor: number, currency: string): string {
  const digits = currencyExponent(currency);
  const format = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Intl formats a decimal string exactly (ES2023); the cast is only for TypeScript's lib types.
  return format.format(formatDecimalAmount(amountMinor, currency) as unknown as number);
}

/** A day as "29 Nov 2026" (UTC), the same in both renderers. */
export function formatStatementDay(day: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

/** The statement's title line, e.g. "Affiliate payout statement". */
export function statementTitle(statement: Statement): string {
  return statement.kind === 'advertiser_period' ? 'Advertiser statement' : 'Affiliate payout statement';
}
