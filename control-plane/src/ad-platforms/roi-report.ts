import { entityIdParamSchema } from '@tas/shared/ids';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { queryRows } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';

const dateSchema = z.iso.date().describe('YYYY-MM-DD, UTC');

export const roiQuerySchema = z.object({
  from: dateSchema.describe('First UTC day'),
  to: dateSchema.describe('Last UTC day (inclusive)'),
  advertiserId: entityIdParamSchema.optional().describe('Admins: one advertiser'),
  groupBy: z
    .enum(['offer', 'day'])
    .default('offer')
    .describe('offer: one row per offer; day: per offer and day'),
});

export const roiRowSchema = z
  .object({
    offerId: z.number().int().nullable().describe('null: spend of platform campaigns not mapped to an offer'),
    offerName: z.string().nullable(),
    day: z.string().nullable(),
    currency: z.string().describe('Every figure of the row is in this currency; rows are never converted'),
    conversions: z.number().int().describe('Counted conversions (pending and approved)'),
    saleAmountMinor: z.number().int().describe("Sum of the conversions' sale amounts"),
    revenueMinor: z.number().int().describe('What the advertiser owes the network for them'),
    payoutMinor: z.number().int().nullable().describe('Affiliate payouts (admins only)'),
    costMinor: z.number().int().describe('Ad-platform spend of the campaigns mapped to the offer'),
    adClicks: z.number().int(),
    impressions: z.number().int(),
    profitMinor: z
      .number()
      .int()
      .describe('Admins: revenue - payout - cost. Advertisers: sale amount - revenue - cost'),
    roas: z.number().nullable().describe('Sale amount / cost (null without cost)'),
    roi: z
      .number()
      .nullable()
      .describe('profit / (what was spent: payout + cost for admins, revenue + cost for advertisers)'),
  })
  .meta({ id: 'RoiRow' });
export type RoiRow = z.infer<typeof roiRowSchema>;

type Raw = {
  offer_id: number | null;
  offer_name: string | null;
  day: string | null;
  currency: string;
  conversions: string | number;
  sale_minor: string | number;
  revenue_minor: string | number;
  payout_minor: string | number;
  cost_minor: string | number;
  ad_clicks: string | number;
  impressions: string | number;
};

const MAX_DAYS = 366;
const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);

/**
 * Revenue beside ad spend (decision 030): TAS's conversions per offer (and day), and the spend of
 * platform campaigns mapped to each offer, joined on offer, currency and day. A spend in another
 * currency than the offer's is its own row: figures are never added across currencies.
 */
export async function roiReport(
  deps: Pick<AdPlatformDeps, 'db'>,
  principal: Principal,
  query: z.infer<typeof roiQuerySchema>,
): Promise<RoiRow[]> {
  if (query.to < query.from) throw new ApiError('invalid_request', '`to` is before `from`.');
  const days = (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 + 1;
  if (days > MAX_DAYS) throw new ApiError('invalid_request', `At most ${MAX_DAYS} days at once.`);
  if (principal.role === 'affiliate')
    throw new ApiError('forbidden', 'The ROI report is for advertisers and admins.');
  const advertiserId =
    principal.role === 'advertiser' ? (principal.advertiserId ?? -1) : (query.advertiserId ?? null);
  const byDay = query.groupBy === 'day';
  const from = `${query.from}T00:00:00Z`;
  const until = new Date(Date.parse(query.to) + 86_400_000).toISOString();
  const dayOf = (column: string) =>
    byDay ? sql.raw(`(${column} AT TIME ZONE 'UTC')::date::text`) : sql.raw('NULL::text');
  const rows = await queryRows<Raw>(
    deps.db,
    sql`
    WITH tas AS (
      SELECT v.offer_id, ${dayOf('v.occurred_at')} AS day, v.payout_currency AS currency,
             count(*) AS conversions, coalesce(sum(v.amount_minor), 0) AS sale_minor,
             sum(v.revenue_minor) AS revenue_minor, sum(v.payout_minor) AS payout_minor
      FROM conversions v
      JOIN offers o ON o.id = v.offer_id
      WHERE v.occurred_at >= ${from}::timestamptz AND v.occurred_at < ${until}::timestamptz AND v.status <> 'rejected'
        ${advertiserId === null ? sql`` : sql`AND o.advertiser_id = ${advertiserId}`}
      GROUP BY 1, 2, 3
    ),
    spend AS (
      SELECT pc.offer_id, ${byDay ? sql`s.day::text` : sql`NULL::text`} AS day, s.currency,
             sum(s.cost_minor) AS cost_minor, sum(s.clicks) AS ad_clicks, sum(s.impressions) AS impressions
      FROM ad_spend_days s
      JOIN ad_platform_connections k ON k.id = s.connection_id
      LEFT JOIN ad_platform_campaigns pc
        ON pc.connection_id = s.connection_id AND pc.platform_campaign_id = s.platform_campaign_id
      WHERE s.day BETWEEN ${query.from}::date AND ${query.to}::date
        ${advertiserId === null ? sql`` : sql`AND k.advertiser_id = ${advertiserId}`}
      GROUP BY 1, 2, 3
    )
    SELECT coalesce(t.offer_id, sp.offer_id) AS offer_id, o.name AS offer_name,
           coalesce(t.day, sp.day) AS day, coalesce(t.currency, sp.currency) AS currency,
           coalesce(t.conversions, 0) AS conversions, coalesce(t.sale_minor, 0) AS sale_minor,
           coalesce(t.revenue_minor, 0) AS revenue_minor, coalesce(t.payout_minor, 0) AS payout_minor,
           coalesce(sp.cost_minor, 0) AS cost_minor, coalesce(sp.ad_clicks, 0) AS ad_clicks,
           coalesce(sp.impressions, 0) AS impressions
    FROM tas t
    FULL JOIN spend sp
      ON sp.offer_id = t.offer_id AND sp.currency = t.currency AND sp.day IS NOT DISTINCT FROM t.day
    LEFT JOIN offers o ON o.id = coalesce(t.offer_id, sp.offer_id)
    ORDER BY offer_id NULLS LAST, day NULLS FIRST, currency`,
  );
  const admin = principal.role === 'admin';
  return rows.map((r) => {
    const sale = Number(r.sale_minor);
    const revenue = Number(r.revenue_minor);
    const payout = Number(r.payout_minor);
    const cost = Number(r.cost_minor);
    const profit = admin ? revenue - payout - cost : sale - revenue - cost;
    return {
      offerId: r.offer_id,
      offerName: r.offer_name,
      day: r.day,
      currency: r.currency,
      conversions: Number(r.conversions),
      saleAmountMinor: sale,
      revenueMinor: revenue,
      payoutMinor: admin ? payout : null,
      costMinor: cost,
      adClicks: Number(r.ad_clicks),
      impressions: Number(r.impressions),
      profitMinor: profit,
      roas: ratio(sale, cost),
      roi: ratio(profit, admin ? payout + cost : revenue + cost),
    };
  });
}
