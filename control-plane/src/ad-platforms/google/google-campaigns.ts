import { currencyExponent } from '@tas/shared/money';
import { z } from 'zod';
import {
  AdPlatformError,
  type CampaignClient,
  type PlatformCallContext,
  type PlatformCampaign,
  type SpendDay,
} from '../ad-platform.ts';
import { type GoogleAdsCall, googleAdsCallOf, googleAdsError, postGoogleAds } from './google-ads-api.ts';

/**
 * Spend and campaigns of one Google Ads customer, by GAQL over `googleAds:searchStream` (one
 * answer holding every row, as a JSON array of batches) and `campaigns:mutate`.
 */

// int64 fields come as JSON strings; a number is taken too, as proto3 JSON allows both.
const int64 = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);

const spendRowSchema = z.object({
  customer: z.object({ currencyCode: z.string().regex(/^[A-Z]{3}$/) }),
  campaign: z.object({ id: int64, name: z.string() }),
  segments: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  // Google leaves out a metric that is zero.
  metrics: z
    .object({ costMicros: int64.optional(), impressions: int64.optional(), clicks: int64.optional() })
    .default({}),
});
const campaignRowSchema = z.object({
  campaign: z.object({ id: int64, name: z.string(), status: z.string() }),
});
const streamSchema = <T extends z.ZodType>(row: T) => z.array(z.object({ results: z.array(row).optional() }));

const mutateResponseSchema = z.object({ results: z.array(z.object({ resourceName: z.string() })).min(1) });

/**
 * Micros (millionths of a currency unit) as exact minor units of a currency with `exponent`
 * decimals. Exact when the micros are a whole number of minor units, which is the case for
 * Google's billed costs in most currencies; otherwise rounded half up, so a day of 1.234567 USD
 * is 123 cents and one of 1.235 USD is 124.
 */
export function microsToMinor(micros: string, exponent: number): number {
  const divisor = 10n ** BigInt(6 - exponent);
  const value = BigInt(micros);
  const quotient = value / divisor;
  const rounded = (value % divisor) * 2n >= divisor ? quotient + 1n : quotient;
  if (rounded > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${micros} micros is out of range.`);
  return Number(rounded);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function targetOf(context: PlatformCallContext): { call: GoogleAdsCall; customerId: string } {
  const target = googleAdsCallOf(context);
  if ('error' in target) throw new AdPlatformError('not_configured', target.error);
  return target;
}

async function searchStream<T extends z.ZodType>(
  target: { call: GoogleAdsCall; customerId: string },
  query: string,
  row: T,
  what: string,
): Promise<z.infer<T>[]> {
  const answer = await postGoogleAds(target.call, `customers/${target.customerId}/googleAds:searchStream`, {
    query,
  });
  if (!answer.ok) throw googleAdsError(answer.failure, what);
  const parsed = streamSchema(row).safeParse(answer.body);
  if (!parsed.success) {
    throw new AdPlatformError('invalid', `Google Ads answered ${what} in an unexpected shape.`, {
      httpStatus: answer.httpStatus,
      response: z.prettifyError(parsed.error).slice(0, 500),
    });
  }
  return parsed.data.flatMap((batch) => batch.results ?? []);
}

const STATUSES: Record<string, PlatformCampaign['status']> = { ENABLED: 'active', PAUSED: 'paused' };

export const googleCampaignClient: CampaignClient = {
  platform: 'google',

  async readSpend(range, context): Promise<SpendDay[]> {
    // The dates go into GAQL text: only well-formed ones, so nothing else can.
    if (!DAY.test(range.from) || !DAY.test(range.to)) {
      throw new AdPlatformError('invalid', `Not a date range: ${range.from}..${range.to}.`);
    }
    const rows = await searchStream(
      targetOf(context),
      'SELECT customer.currency_code, campaign.id, campaign.name, segments.date, metrics.cost_micros, ' +
        'metrics.impressions, metrics.clicks FROM campaign ' +
        `WHERE segments.date BETWEEN '${range.from}' AND '${range.to}'`,
      spendRowSchema,
      'the spend report',
    );
    return rows.map((row) => ({
      platformCampaignId: row.campaign.id,
      campaignName: row.campaign.name,
      day: row.segments.date,
      currency: row.customer.currencyCode,
      costMinor: microsToMinor(row.metrics.costMicros ?? '0', currencyExponent(row.customer.currencyCode)),
      impressions: Number(row.metrics.impressions ?? 0),
      clicks: Number(row.metrics.clicks ?? 0),
    }));
  },

  async listCampaigns(context) {
    const rows = await searchStream(
      targetOf(context),
      "SELECT campaign.id, campaign.name, campaign.status FROM campaign WHERE campaign.status != 'REMOVED'",
      campaignRowSchema,
      'the campaign list',
    );
    return rows.map((row) => ({
      platformCampaignId: row.campaign.id,
      name: row.campaign.name,
      status: STATUSES[row.campaign.status] ?? 'other',
    }));
  },

  async setCampaignStatus(platformCampaignId, status, context) {
    if (!/^\d+$/.test(platformCampaignId)) {
      throw new AdPlatformError('invalid', `Not a Google Ads campaign id: ${platformCampaignId}.`);
    }
    const target = targetOf(context);
    const answer = await postGoogleAds(target.call, `customers/${target.customerId}/campaigns:mutate`, {
      operations: [
        {
          update: {
            resourceName: `customers/${target.customerId}/campaigns/${platformCampaignId}`,
            status: status === 'active' ? 'ENABLED' : 'PAUSED',
          },
          updateMask: 'status',
        },
      ],
    });
    if (!answer.ok) throw googleAdsError(answer.failure, 'the campaign status change');
    if (!mutateResponseSchema.safeParse(answer.body).success) {
      throw new AdPlatformError(
        'invalid',
        'Google Ads answered the campaign status change in an unexpected shape.',
        {
          httpStatus: answer.httpStatus,
        },
      );
    }
  },
};
