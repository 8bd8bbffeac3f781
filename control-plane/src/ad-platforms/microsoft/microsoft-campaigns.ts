import { z } from 'zod';
import { AdPlatformError, type CampaignClient, keptResponse, type PlatformCampaign } from '../ad-platform.ts';
import {
  callMicrosoftAds,
  microsoftAccountOrThrow,
  microsoftBodyOrThrow,
  microsoftErrorSchema,
} from './microsoft-api.ts';

const idSchema = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);

const campaignsSchema = z.object({
  Campaigns: z.array(z.object({ Id: idSchema, Name: z.string(), Status: z.string().nullish() })).nullish(),
});

const updateResponseSchema = z.object({ PartialErrors: z.array(microsoftErrorSchema).nullish() });

/*
 * BudgetPaused is a campaign its advertiser left running whose budget ran out for the day, so it
 * counts as active (pausing it is still meaningful); BudgetAndManualPaused was paused by hand too.
 */
const STATUSES: Record<string, PlatformCampaign['status']> = {
  Active: 'active',
  BudgetPaused: 'active',
  Paused: 'paused',
  BudgetAndManualPaused: 'paused',
};

// Ids are longs; JSON numbers are exact for the ids Microsoft hands out (well below 2^53).
const long = (id: string) => Number(id);

/**
 * Microsoft Advertising campaigns by the Campaign Management REST service: the account's search
 * campaigns and pause/resume. No readSpend: Microsoft's cost figures come only from the Reporting
 * service, which is asynchronous (submit a report request, poll until it is ready, download and
 * unzip a CSV); that flow is not built yet, so Microsoft spend is entered by hand for now.
 */
export const microsoftCampaignClient: CampaignClient = {
  platform: 'microsoft',

  async listCampaigns(context) {
    const account = microsoftAccountOrThrow(context);
    const answer = await callMicrosoftAds(
      {
        method: 'POST',
        operation: '/Campaigns/QueryByAccountId',
        body: { AccountId: long(account.accountId), CampaignType: 'Search' },
      },
      account,
      context,
    );
    const body = microsoftBodyOrThrow(answer, 'the campaign list');
    const parsed = campaignsSchema.safeParse(body);
    if (!parsed.success) {
      throw new AdPlatformError(
        'invalid',
        "Microsoft Advertising's campaign list is not in the documented shape.",
        {
          response: keptResponse(body),
        },
      );
    }
    return (parsed.data.Campaigns ?? []).map((c) => ({
      platformCampaignId: c.Id,
      name: c.Name,
      status: STATUSES[c.Status ?? ''] ?? 'other',
    }));
  },

  async setCampaignStatus(platformCampaignId, status, context) {
    const account = microsoftAccountOrThrow(context);
    if (!/^\d+$/.test(platformCampaignId)) {
      throw new AdPlatformError('invalid', `Not a Microsoft Advertising campaign id: ${platformCampaignId}.`);
    }
    const answer = await callMicrosoftAds(
      {
        method: 'PUT',
        operation: '/Campaigns',
        body: {
          AccountId: long(account.accountId),
          Campaigns: [{ Id: long(platformCampaignId), Status: status === 'paused' ? 'Paused' : 'Active' }],
        },
      },
      account,
      context,
    );
    const body = microsoftBodyOrThrow(answer, 'the campaign status update');
    // UpdateCampaigns answers 200 with the refusal of a single campaign among its PartialErrors.
    const parsed = updateResponseSchema.safeParse(body);
    const partialErrors = parsed.success ? (parsed.data.PartialErrors ?? []) : [];
    if (partialErrors.length > 0) {
      throw new AdPlatformError(
        'invalid',
        `Microsoft Advertising refused the status of campaign ${platformCampaignId}.`,
        {
          httpStatus: answer.kind === 'ok' ? answer.httpStatus : null,
          response: keptResponse(partialErrors),
        },
      );
    }
  },
};
