import { z } from 'zod';
import { entityIdSchema } from './ids.ts';

const isoDate = z.iso.date();

/** What one offer's configuration carries at most: campaigns, and creatives per campaign. */
export const MAX_CAMPAIGNS_PER_OFFER = 1000;
export const MAX_CREATIVES_PER_CAMPAIGN = 1000;

/**
 * What the edge knows of a campaign, inside its offer's configuration: which creatives are its
 * own, when it runs and whether its budgets are spent. Clicks carrying one of these creatives go
 * to the fallback when the campaign is not serving. Dates are UTC calendar days, compared at the
 * edge, so a schedule or a spent daily budget ends at midnight UTC without anyone republishing.
 */
export const campaignAtEdgeSchema = z.object({
  id: entityIdSchema,
  creativeIds: z.array(entityIdSchema).max(MAX_CREATIVES_PER_CAMPAIGN),
  startDate: isoDate.nullable(),
  endDate: isoDate.nullable(),
  /** not_active: draft, paused or completed; budget_spent: approved spend reached the total budget. */
  stopped: z.enum(['not_active', 'budget_spent']).nullable(),
  /** The UTC day on which spend reached the daily budget; the campaign serves again the next day. */
  dailyBudgetSpentOn: isoDate.nullable(),
});
export type CampaignAtEdge = z.infer<typeof campaignAtEdgeSchema>;

export type CampaignServing = 'serving' | 'campaign_inactive' | 'budget_reached';

/** Whether a campaign serves at `now`, and if not, the click reason to record. */
export function campaignServing(campaign: CampaignAtEdge, now: Date): CampaignServing {
  const today = now.toISOString().slice(0, 10);
  if (campaign.stopped === 'not_active') return 'campaign_inactive';
  if (campaign.startDate !== null && today < campaign.startDate) return 'campaign_inactive';
  if (campaign.endDate !== null && today > campaign.endDate) return 'campaign_inactive';
  if (campaign.stopped === 'budget_spent' || campaign.dailyBudgetSpentOn === today) return 'budget_reached';
  return 'serving';
}

/** The campaign among `campaigns` that owns `creativeId`, if any. */
export function campaignOfCreative(
  campaigns: readonly CampaignAtEdge[],
  creativeId: number | null,
): CampaignAtEdge | null {
  if (creativeId === null) return null;
  return campaigns.find((c) => c.creativeIds.includes(creativeId)) ?? null;
}
