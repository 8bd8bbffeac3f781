import type { CampaignAtEdge } from '@tas/shared/campaign-serving';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { type Campaign, campaigns } from '../db/schema/campaigns.ts';
import { creatives } from '../db/schema/creatives.ts';
import { budgetInOtherCurrency, offerCurrencies } from './campaign-currency.ts';

/** The campaigns of an offer as the edge needs them to hold back their creatives' clicks. */
export async function campaignsAtEdgeOf(db: Database, offerId: number): Promise<CampaignAtEdge[]> {
  const rows = await db
    .select()
    .from(campaigns)
    .where(eq(campaigns.offerId, offerId))
    .orderBy(asc(campaigns.id));
  if (rows.length === 0) return [];
  const offerCurrency = (await offerCurrencies(db, [offerId])).get(offerId);
  const owned = await db
    .select({ id: creatives.id, campaignId: creatives.campaignId })
    .from(creatives)
    .where(
      inArray(
        creatives.campaignId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(creatives.id));
  return rows.map((c) =>
    campaignAtEdge(
      c,
      owned.filter((o) => o.campaignId === c.id).map((o) => o.id),
      offerCurrency,
    ),
  );
}

/**
 * `offerCurrency`: the currency of the campaign's offer. A budget in another currency cannot be
 * enforced, so the campaign is held as if not active (campaign-currency.ts).
 */
export function campaignAtEdge(
  c: Campaign,
  creativeIds: number[],
  offerCurrency: string | undefined,
): CampaignAtEdge {
  const held = c.status !== 'active' || budgetInOtherCurrency(c, offerCurrency);
  return {
    id: c.id,
    creativeIds,
    startDate: c.startDate,
    endDate: c.endDate,
    stopped: held ? 'not_active' : c.budgetSpentAt !== null ? 'budget_spent' : null,
    dailyBudgetSpentOn: c.dailyBudgetSpentOn,
  };
}
