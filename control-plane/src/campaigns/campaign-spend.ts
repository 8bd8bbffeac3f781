import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Database, queryRows } from '../db/database.ts';
import type { Campaign } from '../db/schema/campaigns.ts';

export const campaignSpendResponseSchema = z
  .object({
    campaignId: z.number().int(),
    currency: z.string().describe("The campaign's currency; budgets and spend below are in it"),
    budgetMinor: z.number().int().nullable(),
    dailyBudgetMinor: z.number().int().nullable(),
    spentMinor: z.number().int().describe('Revenue of approved conversions attributed to the campaign'),
    spentTodayMinor: z.number().int().describe('The same since 00:00 UTC today'),
    remainingMinor: z
      .number()
      .int()
      .nullable()
      .describe('budget - spent (negative when overspent); null without a budget'),
    remainingTodayMinor: z.number().int().nullable(),
    approvedConversions: z.number().int(),
    otherCurrencies: z
      .array(
        z.object({
          currency: z.string(),
          spentMinor: z.number().int(),
          approvedConversions: z.number().int(),
        }),
      )
      .describe(
        'Spend recorded in another currency (an offer priced differently); not counted against the budget',
      ),
  })
  .describe("How much of a campaign's budgets its approved conversions have used")
  .meta({ id: 'CampaignSpend' });
export type CampaignSpend = z.infer<typeof campaignSpendResponseSchema>;

/**
 * Budget consumption of a campaign: the advertiser revenue of its approved conversions (a
 * conversion belongs to the campaign of its click's creative). Reversed or rejected conversions
 * do not count. Amounts are summed per currency and never mixed.
 */
export async function campaignSpend(db: Database, campaign: Campaign, now: Date): Promise<CampaignSpend> {
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const rows = await queryRows<{
    currency: string;
    total: string | number;
    today: string | number;
    n: string | number;
  }>(
    db,
    sql`SELECT payout_currency AS currency,
               coalesce(sum(revenue_minor), 0) AS total,
               coalesce(sum(revenue_minor) FILTER (WHERE occurred_at >= ${dayStart.toISOString()}::timestamptz), 0) AS today,
               count(*) AS n
        FROM conversions
        WHERE campaign_id = ${campaign.id} AND status = 'approved'
        GROUP BY payout_currency
        ORDER BY payout_currency`,
  );
  const own = rows.find((r) => r.currency === campaign.currency);
  const spentMinor = Number(own?.total ?? 0);
  const spentTodayMinor = Number(own?.today ?? 0);
  return {
    campaignId: campaign.id,
    currency: campaign.currency,
    budgetMinor: campaign.budgetMinor,
    dailyBudgetMinor: campaign.dailyBudgetMinor,
    spentMinor,
    spentTodayMinor,
    remainingMinor: campaign.budgetMinor === null ? null : campaign.budgetMinor - spentMinor,
    remainingTodayMinor:
      campaign.dailyBudgetMinor === null ? null : campaign.dailyBudgetMinor - spentTodayMinor,
    approvedConversions: Number(own?.n ?? 0),
    otherCurrencies: rows
      .filter((r) => r.currency !== campaign.currency)
      .map((r) => ({ currency: r.currency, spentMinor: Number(r.total), approvedConversions: Number(r.n) })),
  };
}
