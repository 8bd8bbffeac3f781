import { currencyExponent, parseDecimalAmount } from '@tas/shared/money';
import { z } from 'zod';
import {
  AdPlatformError,
  type CampaignClient,
  keptResponse,
  type PlatformCallContext,
  type PlatformCampaign,
  type SpendDay,
} from '../ad-platform.ts';
import { callTikTok, tiktokApiUrl, tiktokDataOrThrow } from './tiktok-api.ts';

// TikTok's page_size maximum, and the longest date span a day-by-day report may cover.
const PAGE_SIZE = 1_000;
const MAX_REPORT_DAYS = 30;
const DAY_MS = 86_400_000;

const pageInfoSchema = z.object({ page: z.number().int(), total_page: z.number().int() });

const reportPageSchema = z.object({
  list: z.array(
    z.object({
      dimensions: z.object({
        campaign_id: z.string().min(1),
        stat_time_day: z.string().regex(/^\d{4}-\d{2}-\d{2}/),
      }),
      metrics: z.object({
        spend: z.string(),
        impressions: z.string(),
        clicks: z.string(),
        currency: z.string().regex(/^[A-Za-z]{3}$/),
        campaign_name: z.string(),
      }),
    }),
  ),
  page_info: pageInfoSchema,
});

const campaignPageSchema = z.object({
  list: z.array(
    z.object({
      campaign_id: z.string().min(1),
      campaign_name: z.string(),
      operation_status: z.string(),
    }),
  ),
  page_info: pageInfoSchema,
});

function advertiserIdOf(context: PlatformCallContext): string {
  const id = context.connection.accountId;
  if (!id) throw new AdPlatformError('not_configured', 'The TikTok connection has no advertiser id.');
  return id;
}

function parsed<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new AdPlatformError('invalid', `TikTok's answer to ${what} is not in the documented shape.`, {
      response: keptResponse(data),
    });
  }
  return result.data;
}

/**
 * TikTok's spend figure as exact minor units. It answers decimals with the currency's precision;
 * should it ever give more, the figure is rounded half up rather than refused, as one cent of a
 * day's spend must not stop the sync.
 */
export function tiktokSpendMinor(spend: string, currency: string): number {
  const exact = parseDecimalAmount(spend, currency);
  if (exact.ok) return exact.amountMinor;
  const match = /^(\d+)\.(\d+)$/.exec(spend.trim());
  if (exact.error !== 'too_many_decimals' || !match) {
    throw new AdPlatformError('invalid', `TikTok reported a spend that is not a decimal amount: ${spend}.`);
  }
  const exponent = currencyExponent(currency);
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const kept = BigInt(whole + fraction.slice(0, exponent));
  const roundUp = Number(fraction[exponent]) >= 5;
  return Number(kept + (roundUp ? 1n : 0n));
}

const count = (text: string) => (/^\d+$/.test(text) ? Number(text) : 0);

/** Splits an inclusive YYYY-MM-DD range into spans TikTok takes in one report request. */
export function reportWindows(range: { from: string; to: string }): { from: string; to: string }[] {
  const windows: { from: string; to: string }[] = [];
  const end = Date.parse(`${range.to}T00:00:00Z`);
  for (let start = Date.parse(`${range.from}T00:00:00Z`); start <= end; start += MAX_REPORT_DAYS * DAY_MS) {
    const last = Math.min(start + (MAX_REPORT_DAYS - 1) * DAY_MS, end);
    windows.push({
      from: new Date(start).toISOString().slice(0, 10),
      to: new Date(last).toISOString().slice(0, 10),
    });
  }
  return windows;
}

const campaignStatus = (operationStatus: string): PlatformCampaign['status'] =>
  operationStatus === 'ENABLE' ? 'active' : operationStatus === 'DISABLE' ? 'paused' : 'other';

/**
 * TikTok campaigns by the Business API: daily spend from the synchronous BASIC report, the
 * campaign list, and pause/resume by operation_status.
 */
export const tiktokCampaignClient: CampaignClient = {
  platform: 'tiktok',

  async readSpend(range, context) {
    const advertiserId = advertiserIdOf(context);
    const days: SpendDay[] = [];
    for (const window of reportWindows(range)) {
      for (let page = 1, pages = 1; page <= pages; page++) {
        const query = new URLSearchParams({
          advertiser_id: advertiserId,
          report_type: 'BASIC',
          data_level: 'AUCTION_CAMPAIGN',
          dimensions: JSON.stringify(['campaign_id', 'stat_time_day']),
          metrics: JSON.stringify(['spend', 'impressions', 'clicks', 'currency', 'campaign_name']),
          start_date: window.from,
          end_date: window.to,
          page: String(page),
          page_size: String(PAGE_SIZE),
        });
        const answer = await callTikTok(
          {
            method: 'GET',
            url: `${tiktokApiUrl(context.endpoints.tiktokUrl, '/report/integrated/get/')}?${query}`,
            accessToken: context.connection.credentials.accessToken,
          },
          context,
        );
        const data = parsed(
          reportPageSchema,
          tiktokDataOrThrow(answer, 'the spend report'),
          'the spend report',
        );
        pages = data.page_info.total_page;
        for (const row of data.list) {
          const currency = row.metrics.currency.toUpperCase();
          days.push({
            platformCampaignId: row.dimensions.campaign_id,
            campaignName: row.metrics.campaign_name,
            // The day as TikTok reports it: in the advertiser account's time zone, which TikTok
            // offers no way to change for this report.
            day: row.dimensions.stat_time_day.slice(0, 10),
            currency,
            costMinor: tiktokSpendMinor(row.metrics.spend, currency),
            impressions: count(row.metrics.impressions),
            clicks: count(row.metrics.clicks),
          });
        }
      }
    }
    return days;
  },

  async listCampaigns(context) {
    const advertiserId = advertiserIdOf(context);
    const campaigns: PlatformCampaign[] = [];
    for (let page = 1, pages = 1; page <= pages; page++) {
      const query = new URLSearchParams({
        advertiser_id: advertiserId,
        page: String(page),
        page_size: String(PAGE_SIZE),
      });
      const answer = await callTikTok(
        {
          method: 'GET',
          url: `${tiktokApiUrl(context.endpoints.tiktokUrl, '/campaign/get/')}?${query}`,
          accessToken: context.connection.credentials.accessToken,
        },
        context,
      );
      const data = parsed(
        campaignPageSchema,
        tiktokDataOrThrow(answer, 'the campaign list'),
        'the campaign list',
      );
      pages = data.page_info.total_page;
      for (const c of data.list) {
        campaigns.push({
          platformCampaignId: c.campaign_id,
          name: c.campaign_name,
          status: campaignStatus(c.operation_status),
        });
      }
    }
    return campaigns;
  },

  async setCampaignStatus(platformCampaignId, status, context) {
    const answer = await callTikTok(
      {
        method: 'POST',
        url: tiktokApiUrl(context.endpoints.tiktokUrl, '/campaign/status/update/'),
        accessToken: context.connection.credentials.accessToken,
        body: {
          advertiser_id: advertiserIdOf(context),
          campaign_ids: [platformCampaignId],
          operation_status: status === 'paused' ? 'DISABLE' : 'ENABLE',
        },
      },
      context,
    );
    tiktokDataOrThrow(answer, 'the campaign status update');
  },
};
