import type { Schemas } from '~/lib/api.server';

export type Connection = Schemas['AdPlatformConnection'];
export type Destination = Schemas['AdDestination'];
export type Delivery = Schemas['AdDelivery'];
export type PlatformCampaign = Schemas['AdPlatformCampaign'];
export type RoiRow = Schemas['RoiRow'];
export type AdPlatform = Connection['platform'];
export type DeliveryState = Delivery['state'];

export const AD_PLATFORMS = [
  'meta',
  'google',
  'tiktok',
  'microsoft',
] as const satisfies readonly AdPlatform[];
export const DELIVERY_STATES = [
  'pending',
  'sent',
  'rejected',
  'failed',
  'skipped',
] as const satisfies readonly DeliveryState[];

export const PLATFORM_LABEL: Record<AdPlatform, string> = {
  meta: 'Meta',
  google: 'Google Ads',
  tiktok: 'TikTok',
  microsoft: 'Microsoft Ads',
};

/** What each platform calls the account a connection acts on, and its manager/customer id. */
export const ACCOUNT_HINT: Record<AdPlatform, { account: string; login: string | null }> = {
  meta: { account: 'Ad account id, digits without act_', login: null },
  google: {
    account: 'Google Ads customer id, 10 digits without dashes',
    login: 'Manager (MCC) account id, if you reach the account through one',
  },
  tiktok: { account: 'TikTok advertiser id', login: null },
  microsoft: { account: 'Microsoft Advertising account id', login: 'Customer id' },
};

/** Why a delivery was not sent, in plain words. */
export const SKIP_REASON_TEXT: Record<string, string> = {
  consent_denied: 'The visitor denied consent',
  consent_missing: 'No consent given (this destination requires it)',
  gdpr_consent_missing: 'GDPR applies and the visit carried no TCF consent string',
  gdpr_consent_denied: 'The TCF consent string refuses storage or ad measurement',
  consent_mode_denied: 'Google consent mode: ad_user_data denied',
  eu_visitor: 'An EU/EEA/UK visitor (the network or offer keeps them out of forwarding)',
  no_click_id: 'No click id from this platform',
  conversion_rejected: 'The conversion was rejected',
  conversion_not_approved: 'The conversion was not approved',
  platform_has_no_retractions: 'This platform cannot take a conversion back',
  destination_archived: 'The destination was archived before it was sent',
};

export function skipReasonText(reason: string | null): string | null {
  if (!reason) return null;
  return SKIP_REASON_TEXT[reason] ?? reason.replaceAll('_', ' ');
}

export const STATE_TEXT: Record<DeliveryState, string> = {
  pending: 'Queued: it will be sent at the next attempt',
  sent: 'The platform accepted it',
  rejected: 'The platform refused this event; replay it once the cause is fixed',
  failed: 'Every attempt failed (the platform was unreachable or answered with an error)',
  skipped: 'Not sent, on purpose',
};

/** What the OAuth callback's `?error=` means. */
export const OAUTH_ERROR_TEXT: Record<string, string> = {
  invalid_state: 'The link expired or was not for this platform. Start the connection again.',
  denied: 'The platform said you did not allow TAS. Nothing was connected.',
  missing_code: 'The platform sent no authorisation code back. Start the connection again.',
  not_configured:
    'The network has not set up this platform’s app yet. Paste a token instead, or ask the network.',
  exchange_failed: 'The platform refused to exchange the code for tokens. Try again in a moment.',
};

export const SEND_ON_TEXT: Record<Destination['sendOn'], string> = {
  approved: 'Once approved',
  pending: 'As soon as counted',
};

export const CONSENT_TEXT: Record<Destination['consentPolicy'], string> = {
  unless_denied: 'Unless denied',
  required: 'Consent required',
};

/** The setting each platform cannot send without. */
export const REQUIRED_SETTING: Record<AdPlatform, { key: keyof Destination['settings']; label: string }> = {
  meta: { key: 'pixelId', label: 'Pixel (dataset) id' },
  google: { key: 'conversionActionId', label: 'Conversion action id' },
  tiktok: { key: 'pixelCode', label: 'Pixel code' },
  microsoft: { key: 'conversionName', label: 'Offline conversion goal name' },
};

export const DEFAULT_EVENT: Record<AdPlatform, string> = {
  meta: 'Purchase',
  google: 'the conversion action’s own',
  tiktok: 'CompletePayment',
  microsoft: 'the goal’s own',
};

/** One short line of a destination's platform settings. */
export function settingsSummary(platform: AdPlatform, settings: Destination['settings']): string {
  const required = REQUIRED_SETTING[platform];
  const parts = [`${required.label} ${settings[required.key] ?? '–'}`];
  if (platform === 'google') parts.push(settings.api === 'legacy_upload' ? 'legacy upload' : 'Data Manager');
  if (settings.eventName) parts.push(`event ${settings.eventName}`);
  return parts.join(' · ');
}
