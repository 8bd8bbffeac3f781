import type {
  AdPlatform,
  CampaignClient,
  ConversionSender,
  DestinationSettings,
  OAuthClient,
} from './ad-platform.ts';
import { googleAdsLegacySender } from './google/google-ads-legacy.ts';
import { googleCampaignClient } from './google/google-campaigns.ts';
import { googleDataManagerSender } from './google/google-data-manager.ts';
import { googleOAuthClient } from './google/google-oauth.ts';
import { metaCampaignClient } from './meta/meta-campaigns.ts';
import { metaConversionSender } from './meta/meta-capi.ts';
import { metaOAuthClient } from './meta/meta-oauth.ts';
import { microsoftCampaignClient } from './microsoft/microsoft-campaigns.ts';
import { microsoftOAuthClient } from './microsoft/microsoft-oauth.ts';
import { microsoftConversionSender } from './microsoft/microsoft-offline-conversions.ts';
import { tiktokCampaignClient } from './tiktok/tiktok-campaigns.ts';
import { tiktokConversionSender } from './tiktok/tiktok-events.ts';
import { tiktokOAuthClient } from './tiktok/tiktok-oauth.ts';

/** The sender of a destination: Google's by the API the destination chose (Data Manager unless told). */
export function senderFor(platform: AdPlatform, settings: DestinationSettings): ConversionSender {
  switch (platform) {
    case 'meta':
      return metaConversionSender;
    case 'google':
      return settings.api === 'legacy_upload' ? googleAdsLegacySender : googleDataManagerSender;
    case 'tiktok':
      return tiktokConversionSender;
    case 'microsoft':
      return microsoftConversionSender;
  }
}

export const CAMPAIGN_CLIENTS: Record<AdPlatform, CampaignClient> = {
  meta: metaCampaignClient,
  google: googleCampaignClient,
  tiktok: tiktokCampaignClient,
  microsoft: microsoftCampaignClient,
};

export const OAUTH_CLIENTS: Record<AdPlatform, OAuthClient> = {
  meta: metaOAuthClient,
  google: googleOAuthClient,
  tiktok: tiktokOAuthClient,
  microsoft: microsoftOAuthClient,
};
