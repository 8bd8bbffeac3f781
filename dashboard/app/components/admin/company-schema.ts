import { z } from 'zod';

// The API's rules for a company's profile (control-plane/src/accounts/company-profile.ts), with
// messages for people. Empty optional fields are sent as null, which clears them.
export const companyProfileSchema = z.object({
  companyName: z
    .string({ error: 'Enter the company name' })
    .trim()
    .min(1, 'Enter the company name')
    .max(200, 'At most 200 characters'),
  websiteUrl: z
    .url({ protocol: /^https?$/, error: 'A web address starting with https:// or http://' })
    .max(2048)
    .optional(),
  contactEmail: z.email('An email address, e.g. billing@example.com').max(254).optional(),
  contactPhone: z.string().trim().max(50, 'At most 50 characters').optional(),
  billingAddress: z.string().trim().max(2000, 'At most 2,000 characters').optional(),
});

export type CompanyProfileInput = z.output<typeof companyProfileSchema>;

/** The body of a create or change: every optional field present, null when left empty. */
export function companyBody(value: CompanyProfileInput, kind: 'advertiser' | 'affiliate') {
  const base = {
    companyName: value.companyName,
    websiteUrl: value.websiteUrl ?? null,
    contactEmail: value.contactEmail ?? null,
    contactPhone: value.contactPhone ?? null,
  };
  return kind === 'advertiser' ? { ...base, billingAddress: value.billingAddress ?? null } : base;
}

// The API's payment details (control-plane/src/affiliates/affiliate-service.ts).
export const paymentDetailsFormSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('paypal'),
    email: z.email('The PayPal account’s email address').max(254),
  }),
  z.object({
    method: z.literal('wire'),
    accountHolder: z
      .string({ error: 'Enter the account holder' })
      .trim()
      .min(1, 'Enter the account holder')
      .max(200),
    iban: z
      .string({ error: 'Enter the IBAN' })
      .transform((s) => s.replace(/\s+/g, '').toUpperCase())
      .pipe(z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/, 'An IBAN, e.g. DE89 3704 0044 0532 0130 00')),
    bic: z
      .string()
      .transform((s) => s.replace(/\s+/g, '').toUpperCase())
      .pipe(z.string().regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/, 'A BIC of 8 or 11 letters and digits'))
      .optional(),
    bankName: z.string().trim().max(200).optional(),
  }),
  z.object({
    method: z.literal('other'),
    instructions: z
      .string({ error: 'Say how to pay you' })
      .trim()
      .min(1, 'Say how to pay you')
      .max(2000, 'At most 2,000 characters'),
  }),
]);

export type PaymentDetailsInput = z.output<typeof paymentDetailsFormSchema>;

export function paymentDetailsBody(value: PaymentDetailsInput) {
  if (value.method === 'wire') return { ...value, bic: value.bic ?? null, bankName: value.bankName ?? null };
  return value;
}
