import type { Settings } from '../settings.ts';
import type { AdPlatformApps, AdPlatformEndpoints } from './ad-platform.ts';

type AdPlatformSettings = Pick<
  Settings,
  | 'META_APP_ID'
  | 'META_APP_SECRET'
  | 'META_GRAPH_URL'
  | 'META_DIALOG_URL'
  | 'GOOGLE_CLIENT_ID'
  | 'GOOGLE_CLIENT_SECRET'
  | 'GOOGLE_ADS_DEVELOPER_TOKEN'
  | 'GOOGLE_DATA_MANAGER_URL'
  | 'GOOGLE_ADS_URL'
  | 'GOOGLE_AUTH_URL'
  | 'GOOGLE_TOKEN_URL'
  | 'TIKTOK_APP_ID'
  | 'TIKTOK_APP_SECRET'
  | 'TIKTOK_API_URL'
  | 'MICROSOFT_CLIENT_ID'
  | 'MICROSOFT_CLIENT_SECRET'
  | 'MICROSOFT_DEVELOPER_TOKEN'
  | 'MICROSOFT_ADS_URL'
  | 'MICROSOFT_LOGIN_URL'
>;

const base = (url: string) => url.replace(/\/+$/, '');

export function adPlatformEndpointsOf(s: AdPlatformSettings): AdPlatformEndpoints {
  return {
    metaGraphUrl: base(s.META_GRAPH_URL),
    metaDialogUrl: base(s.META_DIALOG_URL),
    googleDataManagerUrl: base(s.GOOGLE_DATA_MANAGER_URL),
    googleAdsUrl: base(s.GOOGLE_ADS_URL),
    googleAuthUrl: base(s.GOOGLE_AUTH_URL),
    googleTokenUrl: base(s.GOOGLE_TOKEN_URL),
    tiktokUrl: base(s.TIKTOK_API_URL),
    microsoftAdsUrl: base(s.MICROSOFT_ADS_URL),
    microsoftLoginUrl: base(s.MICROSOFT_LOGIN_URL),
  };
}

/** The network's app registrations; a platform whose app is not set has no OAuth (tokens can still be pasted where it allows). */
export function adPlatformAppsOf(s: AdPlatformSettings): AdPlatformApps {
  return {
    meta:
      s.META_APP_ID && s.META_APP_SECRET ? { appId: s.META_APP_ID, appSecret: s.META_APP_SECRET } : undefined,
    google:
      s.GOOGLE_CLIENT_ID && s.GOOGLE_CLIENT_SECRET
        ? {
            clientId: s.GOOGLE_CLIENT_ID,
            clientSecret: s.GOOGLE_CLIENT_SECRET,
            developerToken: s.GOOGLE_ADS_DEVELOPER_TOKEN ?? '',
          }
        : undefined,
    tiktok:
      s.TIKTOK_APP_ID && s.TIKTOK_APP_SECRET
        ? { appId: s.TIKTOK_APP_ID, secret: s.TIKTOK_APP_SECRET }
        : undefined,
    microsoft:
      s.MICROSOFT_CLIENT_ID && s.MICROSOFT_CLIENT_SECRET
        ? {
            clientId: s.MICROSOFT_CLIENT_ID,
            clientSecret: s.MICROSOFT_CLIENT_SECRET,
            developerToken: s.MICROSOFT_DEVELOPER_TOKEN ?? '',
          }
        : undefined,
  };
}

/** The platforms' production addresses (the settings' defaults), for an app built without settings. */
export const PRODUCTION_ENDPOINTS: AdPlatformEndpoints = {
  metaGraphUrl: 'https://graph.facebook.com',
  metaDialogUrl: 'https://www.facebook.com',
  googleDataManagerUrl: 'https://datamanager.googleapis.com',
  googleAdsUrl: 'https://googleads.googleapis.com',
  googleAuthUrl: 'https://accounts.google.com',
  googleTokenUrl: 'https://oauth2.googleapis.com',
  tiktokUrl: 'https://business-api.tiktok.com',
  microsoftAdsUrl: 'https://campaign.api.bingads.microsoft.com',
  microsoftLoginUrl: 'https://login.microsoftonline.com',
};
