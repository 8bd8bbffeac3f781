import { entityIdSchema } from '@tas/shared/ids';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { type AdPlatformCampaign, adPlatformCampaigns } from '../db/schema/ad-spend.ts';
import { campaigns } from '../db/schema/campaigns.ts';
import { offers } from '../db/schema/offers.ts';
import { oneOrNotFound } from '../db/scoped-rows.ts';
import { ApiError } from '../http/api-error.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';
import { platformApiError, visibleConnection } from './connection-service.ts';
import { CAMPAIGN_CLIENTS } from './platform-registry.ts';
import { callContext } from './spend-sync.ts';

export const platformCampaignResponseSchema = z
  .object({
    connectionId: z.uuid(),
    platformCampaignId: z.string(),
    name: z.string(),
    status: z.enum(['active', 'paused', 'other']),
    offerId: z.number().int().nullable().describe('The TAS offer its spend counts against in the ROI report'),
    campaignId: z.number().int().nullable().describe('The TAS campaign whose budget stop may pause it'),
    pauseOnBudgetStop: z.boolean(),
    pausedByBudgetStop: z.boolean(),
    costMinor30d: z.number().int().describe('Cost over the last 30 days, in `currency`'),
    currency: z.string().nullable(),
    canPause: z.boolean().describe('Whether TAS can pause and resume it on this platform'),
  })
  .meta({ id: 'AdPlatformCampaign' });
export type PlatformCampaignResponse = z.infer<typeof platformCampaignResponseSchema>;

export const platformCampaignUpdateSchema = z
  .object({
    offerId: entityIdSchema.nullable().optional(),
    campaignId: entityIdSchema.nullable().optional(),
    pauseOnBudgetStop: z.boolean().optional(),
  })
  .meta({ id: 'AdPlatformCampaignUpdateRequest' });

export async function listPlatformCampaigns(
  deps: AdPlatformDeps,
  principal: Principal,
  connectionId: string,
  now = new Date(),
) {
  const connection = await visibleConnection(deps.db, principal, connectionId);
  const since = new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
  // The subqueries name the outer table in full: drizzle would render its columns unqualified there.
  const rows = await deps.db
    .select({
      campaign: adPlatformCampaigns,
      costMinor: sql<string | null>`(SELECT sum(s.cost_minor) FROM ad_spend_days s
        WHERE s.connection_id = ad_platform_campaigns.connection_id
          AND s.platform_campaign_id = ad_platform_campaigns.platform_campaign_id AND s.day >= ${since}::date)`,
      currency: sql<string | null>`(SELECT max(s.currency) FROM ad_spend_days s
        WHERE s.connection_id = ad_platform_campaigns.connection_id
          AND s.platform_campaign_id = ad_platform_campaigns.platform_campaign_id)`,
    })
    .from(adPlatformCampaigns)
    .where(eq(adPlatformCampaigns.connectionId, connection.id))
    .orderBy(adPlatformCampaigns.name);
  const canPause = CAMPAIGN_CLIENTS[connection.platform].setCampaignStatus !== undefined;
  return rows.map(({ campaign, costMinor, currency }) =>
    show(campaign, Number(costMinor ?? 0), currency, canPause),
  );
}

function show(
  c: AdPlatformCampaign,
  costMinor30d: number,
  currency: string | null,
  canPause: boolean,
): PlatformCampaignResponse {
  return {
    connectionId: c.connectionId,
    platformCampaignId: c.platformCampaignId,
    name: c.name,
    status: c.status,
    offerId: c.offerId,
    campaignId: c.campaignId,
    pauseOnBudgetStop: c.pauseOnBudgetStop,
    pausedByBudgetStop: c.pausedByBudgetStop,
    costMinor30d,
    currency,
    canPause,
  };
}

async function visiblePlatformCampaign(
  deps: AdPlatformDeps,
  principal: Principal,
  connectionId: string,
  id: string,
) {
  const connection = await visibleConnection(deps.db, principal, connectionId);
  const campaign = await oneOrNotFound(
    deps.db
      .select()
      .from(adPlatformCampaigns)
      .where(
        and(
          eq(adPlatformCampaigns.connectionId, connection.id),
          eq(adPlatformCampaigns.platformCampaignId, id),
        ),
      ),
    `Campaign ${id} of connection ${connectionId}`,
  );
  return { connection, campaign };
}

/** Maps a platform campaign to the advertiser's own offer and campaign (never another advertiser's). */
export async function updatePlatformCampaign(
  deps: AdPlatformDeps,
  principal: Principal,
  connectionId: string,
  id: string,
  input: z.infer<typeof platformCampaignUpdateSchema>,
) {
  const { connection, campaign } = await visiblePlatformCampaign(deps, principal, connectionId, id);
  if (input.offerId) {
    await oneOrNotFound(
      deps.db
        .select({ id: offers.id })
        .from(offers)
        .where(and(eq(offers.id, input.offerId), eq(offers.advertiserId, connection.advertiserId))),
      `Offer ${input.offerId} of advertiser ${connection.advertiserId}`,
    );
  }
  if (input.campaignId) {
    await oneOrNotFound(
      deps.db
        .select({ id: campaigns.id })
        .from(campaigns)
        .where(and(eq(campaigns.id, input.campaignId), eq(campaigns.advertiserId, connection.advertiserId))),
      `Campaign ${input.campaignId} of advertiser ${connection.advertiserId}`,
    );
  }
  if (input.pauseOnBudgetStop && !(input.campaignId ?? campaign.campaignId))
    throw new ApiError(
      'invalid_request',
      'pauseOnBudgetStop needs a TAS campaign (campaignId) whose budget to follow.',
    );
  if (input.pauseOnBudgetStop && !CAMPAIGN_CLIENTS[connection.platform].setCampaignStatus)
    throw new ApiError('invalid_request', `TAS cannot pause ${connection.platform} campaigns.`);
  const [row] = await deps.db
    .update(adPlatformCampaigns)
    .set({ offerId: input.offerId, campaignId: input.campaignId, pauseOnBudgetStop: input.pauseOnBudgetStop })
    .where(
      and(
        eq(adPlatformCampaigns.connectionId, connection.id),
        eq(adPlatformCampaigns.platformCampaignId, id),
      ),
    )
    .returning();
  if (!row) throw new Error('campaign not updated');
  const listed = await listPlatformCampaigns(deps, principal, connectionId);
  const shown = listed.find((c) => c.platformCampaignId === id);
  if (!shown) throw new Error('campaign not listed');
  return shown;
}

/** Pauses or resumes the campaign on the platform, then records its new status. */
export async function setPlatformCampaignStatus(
  deps: AdPlatformDeps,
  principal: Principal,
  connectionId: string,
  id: string,
  status: 'active' | 'paused',
) {
  const { connection } = await visiblePlatformCampaign(deps, principal, connectionId, id);
  const setStatus = CAMPAIGN_CLIENTS[connection.platform].setCampaignStatus;
  if (!setStatus) throw new ApiError('invalid_request', `TAS cannot pause ${connection.platform} campaigns.`);
  try {
    await setStatus(id, status, await callContext(deps, connection, new Date()));
  } catch (error) {
    throw platformApiError(error);
  }
  await deps.db
    .update(adPlatformCampaigns)
    .set({ status, pausedByBudgetStop: false, updatedAt: new Date() })
    .where(
      and(
        eq(adPlatformCampaigns.connectionId, connection.id),
        eq(adPlatformCampaigns.platformCampaignId, id),
      ),
    );
  return { status };
}
