import { z } from 'zod';
import { AD_PLATFORMS, type AdPlatformApps } from './ad-platform.ts';
import { adPlatformSchema } from './ad-platform-schemas.ts';
import { PLATFORM_LABELS } from './connection-service.ts';
import { CAMPAIGN_CLIENTS, senderFor } from './platform-registry.ts';

export const platformCapabilitySchema = z
  .object({
    platform: adPlatformSchema,
    label: z.string(),
    oauth: z.boolean().describe('The network registered an app: advertisers can connect by OAuth'),
    spend: z.boolean().describe('Daily spend per campaign is read back'),
    pauseCampaigns: z.boolean(),
    retractions: z
      .enum(['yes', 'legacy_upload_only', 'no'])
      .describe('Whether a conversion rejected after it was sent is withdrawn on the platform'),
  })
  .meta({ id: 'AdPlatformCapability' });
export type PlatformCapability = z.infer<typeof platformCapabilitySchema>;

/** Read from the clients themselves, so the page can never promise what the code does not do. */
export function platformCapabilities(apps: AdPlatformApps): PlatformCapability[] {
  return AD_PLATFORMS.map((platform) => {
    const campaigns = CAMPAIGN_CLIENTS[platform];
    const retracts = senderFor(platform, {}).acceptsRetractions;
    const legacyRetracts =
      platform === 'google' && senderFor(platform, { api: 'legacy_upload' }).acceptsRetractions;
    return {
      platform,
      label: PLATFORM_LABELS[platform],
      oauth: apps[platform] !== undefined,
      spend: campaigns.readSpend !== undefined,
      pauseCampaigns: campaigns.setCampaignStatus !== undefined,
      retractions: retracts ? 'yes' : legacyRetracts ? 'legacy_upload_only' : 'no',
    };
  });
}
