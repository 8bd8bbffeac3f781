import { entityIdParamSchema } from '@tas/shared/ids';
import { z } from 'zod';

export const REPORT_DIMENSIONS = [
  'offer',
  'affiliate',
  'advertiser',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'country',
  'device',
  'creative',
] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

const timeZoneSchema = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone, e.g. Europe/Berlin')
  .default('UTC')
  .describe('Time zone of the days and hours (and of from/to)');

const localDate = z.iso.date().describe('A calendar date in the report time zone, YYYY-MM-DD');

export const reportQuerySchema = z
  .object({
    from: localDate.describe('First day, inclusive'),
    to: localDate.describe('Last day, inclusive'),
    timezone: timeZoneSchema,
    granularity: z.enum(['day', 'hour', 'total']).default('day'),
    groupBy: z
      .string()
      .max(200)
      .default('')
      .transform((s) => (s ? s.split(',').map((d) => d.trim()) : []))
      .pipe(z.array(z.enum(REPORT_DIMENSIONS)).max(6))
      .describe(`Comma-separated, of: ${REPORT_DIMENSIONS.join(', ')}`),
    offerId: entityIdParamSchema.optional(),
    affiliateId: entityIdParamSchema.optional(),
    advertiserId: entityIdParamSchema.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => q.from <= q.to, { message: 'to must not be before from', path: ['to'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 366, {
    message: 'at most 366 days',
    path: ['to'],
  });
export type ReportQuery = z.output<typeof reportQuerySchema>;

export const reportRowSchema = z
  .object({
    period: z
      .string()
      .nullable()
      .describe('Local day (YYYY-MM-DD) or hour (YYYY-MM-DDTHH:00); null for total'),
    offerId: z.number().int().optional(),
    affiliateId: z.number().int().optional(),
    advertiserId: z.number().int().optional(),
    sub1: z.string().optional(),
    sub2: z.string().optional(),
    sub3: z.string().optional(),
    sub4: z.string().optional(),
    sub5: z.string().optional(),
    country: z.string().optional(),
    device: z.string().optional(),
    creativeId: z.number().int().nullable().optional(),
    currency: z.string().describe('Sums never mix currencies: each currency is its own row'),
    clicks: z.number().int().describe('Gross clicks: every click recorded, invalid ones included'),
    uniqueClicks: z.number().int().describe('Clicks that were not duplicates'),
    cleanClicks: z.number().int().describe('Gross clicks less invalid ones: what rates are computed on'),
    invalidClicks: z
      .number()
      .int()
      .describe('Clicks flagged bot, duplicate, blocked (ip or user agent) or ip velocity; never billable'),
    botClicks: z.number().int().describe('Invalid: user agent of a bot'),
    duplicateClicks: z
      .number()
      .int()
      .describe("Invalid: same ip, offer and affiliate inside the offer's window"),
    blockedClicks: z.number().int().describe('Invalid: a blocked ip or user agent'),
    velocityClicks: z
      .number()
      .int()
      .describe('Invalid: over the per-ip click rate (a click may carry several flags)'),
    conversions: z.number().int().describe('Pending and approved (rejected do not count)'),
    approvedConversions: z.number().int().describe('Conversions approved'),
    pendingConversions: z
      .number()
      .int()
      .describe('Conversions pending (waiting for the advertiser or a review)'),
    rejectedConversions: z
      .number()
      .int()
      .describe('Conversions rejected: not in `conversions`, and none of their money counts'),
    revenueMinor: z.number().int().optional().describe('Not shown to affiliates'),
    payoutMinor: z.number().int().optional().describe('Not shown to advertisers'),
    profitMinor: z.number().int().optional().describe('Admins only'),
    cr: z.number().nullable().describe('Conversions per clean click'),
    epcMinor: z
      .number()
      .nullable()
      .optional()
      .describe('Affiliate payout per clean click, in minor units (may be fractional)'),
  })
  .meta({ id: 'ReportRow' });
export type ReportRow = z.infer<typeof reportRowSchema>;
