import type { CustomerHashes } from '@tas/shared/customer-data';
import type { AdConsent as SharedAdConsent } from '@tas/shared/events';

/*
 * What every ad platform offers TAS (issue 12): conversions sent to it, its spend read back, its
 * campaigns paused and resumed, and its OAuth. Meta, Google, TikTok and Microsoft each keep their
 * wire format in their own files (`destinations/meta-capi.ts`, `spend/google-ads-spend.ts`, ...);
 * the outbox, the spend sync and the routes see only these types (decision 030).
 */

export const AD_PLATFORMS = ['meta', 'google', 'tiktok', 'microsoft'] as const;
export type AdPlatform = (typeof AD_PLATFORMS)[number];

/** Where each platform's APIs live; production defaults in settings.ts, local fakes in tests. */
export type AdPlatformEndpoints = {
  /** Meta Graph API, e.g. `https://graph.facebook.com` (the version is added by the client). */
  metaGraphUrl: string;
  /** Meta's OAuth dialog, e.g. `https://www.facebook.com`. */
  metaDialogUrl: string;
  /** Google Data Manager API, e.g. `https://datamanager.googleapis.com`. */
  googleDataManagerUrl: string;
  /** Google Ads API (REST), e.g. `https://googleads.googleapis.com`. */
  googleAdsUrl: string;
  /** Google's OAuth: authorisation `https://accounts.google.com`, token `https://oauth2.googleapis.com`. */
  googleAuthUrl: string;
  googleTokenUrl: string;
  /** TikTok Business API, e.g. `https://business-api.tiktok.com`. */
  tiktokUrl: string;
  /** Microsoft Advertising Campaign Management REST, e.g. `https://campaign.api.bingads.microsoft.com`. */
  microsoftAdsUrl: string;
  /** Microsoft identity platform, e.g. `https://login.microsoftonline.com`. */
  microsoftLoginUrl: string;
};

/** The network's app registrations with each platform (settings.ts); absent = that platform's OAuth is off. */
export type AdPlatformApps = {
  meta?: { appId: string; appSecret: string } | undefined;
  google?: { clientId: string; clientSecret: string; developerToken: string } | undefined;
  tiktok?: { appId: string; secret: string } | undefined;
  microsoft?: { clientId: string; clientSecret: string; developerToken: string } | undefined;
};

/**
 * What TAS holds to act on one advertiser's platform account, decrypted only in memory. Tokens
 * come from OAuth or are pasted (a Meta system-user token, a TikTok long-term token).
 */
export type ConnectionCredentials = {
  accessToken: string;
  /** Google and Microsoft: exchanged for a new access token when it expires. */
  refreshToken?: string | undefined;
  /** ISO time the access token stops working; absent = long-lived. */
  accessTokenExpiresAt?: string | undefined;
};

/** One advertiser's account on a platform, as the clients need it. */
export type PlatformConnection = {
  id: string;
  platform: AdPlatform;
  /**
   * The account acted on: Meta ad account id (digits, without `act_`), Google Ads customer id
   * (10 digits), TikTok advertiser id, Microsoft Advertising account id.
   */
  accountId: string | null;
  /** Google: the manager (login) customer id, when access goes through one; Microsoft: the customer id. */
  loginAccountId: string | null;
  credentials: ConnectionCredentials;
};

/**
 * Per-destination settings, validated by the destination's zod schema (ad-platform-schemas.ts).
 * Meta: `pixelId`; Google: `conversionActionId` and `api` ('data_manager' | 'legacy_upload');
 * TikTok: `pixelCode`; Microsoft: `conversionName`. `eventName`: the platform's event name for
 * these conversions (Meta `Purchase`, TikTok `CompletePayment`), defaulted per platform.
 */
export type DestinationSettings = {
  pixelId?: string | undefined;
  conversionActionId?: string | undefined;
  api?: 'data_manager' | 'legacy_upload' | undefined;
  pixelCode?: string | undefined;
  conversionName?: string | undefined;
  eventName?: string | undefined;
};

/** The click ids a platform attributes by, captured by the edge on the click. */
export type PlatformClickIds = {
  gclid: string | null;
  gbraid: string | null;
  wbraid: string | null;
  fbclid: string | null;
  ttclid: string | null;
  msclkid: string | null;
};

/** Customer data hashed at the edge (shared/src/customer-data.ts): email, emailGoogle, phone, phoneE164. */
export type HashedUserData = CustomerHashes;

/** Consent for ad-platform use, as carried by the click's `consent` parameter (null: not given). */
export type AdConsent = SharedAdConsent | null;

/**
 * One conversion as a platform is sent it. `kind: 'retraction'` withdraws one sent earlier (a
 * conversion rejected or reversed after it went); only platforms that accept retractions get them.
 */
export type ForwardedEvent = {
  /** The outbox delivery's id: what an outcome answers for. */
  deliveryId: string;
  kind: 'conversion' | 'retraction';
  /**
   * The id platforms dedupe on, the same for every attempt: the advertiser's order id (txid) when
   * there is one, so a browser pixel sending the order id dedupes against it; else the TAS conversion id.
   */
  eventId: string;
  conversionId: string;
  /** The platform's event name (from the destination's settings or the platform's default). */
  eventName: string;
  occurredAt: Date;
  clickedAt: Date;
  /** Sale amount, in `currency`, in minor units; null when the conversion has none. */
  valueMinor: number | null;
  currency: string | null;
  txid: string | null;
  clickIds: PlatformClickIds;
  /** Sent unhashed where the platform asks for them (Meta, TikTok); never hashed. */
  ip: string | null;
  userAgent: string | null;
  /** ISO 3166-1 alpha-2, uppercase. */
  country: string | null;
  consent: AdConsent;
  /** Google consent mode's values as the click or conversion carried them (null: not given). */
  consentMode: { adUserData: AdConsent; adPersonalization: AdConsent };
  userData: HashedUserData;
  /** The landing page url, when known (Meta `event_source_url`). */
  sourceUrl: string | null;
};

/**
 * The platform's answer for one event. `sent`: accepted. `rejected`: the platform refused this
 * event itself (parked; a replay after a fix sends it). `retry`: not this event's fault (rate limit,
 * outage, a batch refused for another event); `retryAfterMs` when the platform said.
 * `auth_failed`: the credentials were refused; the outbox pauses the destination after repeated ones.
 * `response` is the platform's answer as kept in the log (trimmed JSON, no secrets).
 */
export type EventOutcome = {
  deliveryId: string;
  result: 'sent' | 'rejected' | 'retry' | 'auth_failed';
  httpStatus: number | null;
  response: string;
  retryAfterMs?: number | undefined;
};

/** What a sender gets beside the events. */
export type SendContext = {
  connection: PlatformConnection;
  settings: DestinationSettings;
  /** Meta / TikTok `test_event_code`; Google `validateOnly`: events go to the platform's test view. */
  testEventCode: string | null;
  endpoints: AdPlatformEndpoints;
  apps: AdPlatformApps;
  fetch: typeof fetch;
  timeoutMs: number;
};

/**
 * Sends conversions to one platform. `send` answers one outcome per event, in any order, and
 * throws nothing for the platform's errors (they become outcomes); it may split a batch itself (Meta
 * refuses a whole batch for one bad event: the sender finds it and sends the rest).
 */
export type ConversionSender = {
  platform: AdPlatform;
  /** Events per request the platform takes (Meta and TikTok 1,000; Google 2,000; Microsoft 1,000). */
  maxBatchSize: number;
  /** Whether `kind: 'retraction'` events are accepted; otherwise the outbox skips them with a reason. */
  acceptsRetractions: boolean;
  /** Which click id the platform needs; a conversion without any of them is skipped (`no_click_id`). */
  needsClickId: (ids: PlatformClickIds) => boolean;
  send(events: ForwardedEvent[], context: SendContext): Promise<EventOutcome[]>;
};

/** One platform campaign's figures for one UTC day, in the account's currency. */
export type SpendDay = {
  platformCampaignId: string;
  campaignName: string;
  /** YYYY-MM-DD. */
  day: string;
  /** ISO 4217, uppercase. */
  currency: string;
  /** Exact minor units (Google's micros and Meta's decimal strings converted by the currency's exponent). */
  costMinor: number;
  impressions: number;
  clicks: number;
};

/** A platform campaign as listed for mapping and for pause/resume. */
export type PlatformCampaign = {
  platformCampaignId: string;
  name: string;
  status: 'active' | 'paused' | 'other';
};

export type PlatformCallContext = {
  connection: PlatformConnection;
  endpoints: AdPlatformEndpoints;
  apps: AdPlatformApps;
  fetch: typeof fetch;
  timeoutMs: number;
};

/**
 * Reads spend and acts on campaigns. Errors are thrown as AdPlatformError so the sync can tell an
 * expired token from an outage.
 */
export type CampaignClient = {
  platform: AdPlatform;
  /** Daily cost per campaign for the inclusive UTC date range (YYYY-MM-DD); absent when not supported yet. */
  readSpend?:
    | ((range: { from: string; to: string }, context: PlatformCallContext) => Promise<SpendDay[]>)
    | undefined;
  listCampaigns(context: PlatformCallContext): Promise<PlatformCampaign[]>;
  /** Pauses or resumes one campaign; absent when the platform's API does not allow it. */
  setCampaignStatus?:
    | ((
        platformCampaignId: string,
        status: 'active' | 'paused',
        context: PlatformCallContext,
      ) => Promise<void>)
    | undefined;
};

/** Tokens an OAuth exchange or refresh gives. */
export type OAuthTokens = ConnectionCredentials & {
  /** Accounts the grant reaches, when the platform says (TikTok's advertiser_ids). */
  accountIds?: string[] | undefined;
};

/** A platform's OAuth: the link the advertiser follows, the code exchange, and the refresh. */
export type OAuthClient = {
  platform: AdPlatform;
  authorizationUrl(input: { state: string; redirectUri: string }, context: OAuthContext): string;
  exchangeCode(input: { code: string; redirectUri: string }, context: OAuthContext): Promise<OAuthTokens>;
  /** Absent for platforms whose tokens are long-lived (Meta, TikTok): those need a new grant. */
  refresh?: ((refreshToken: string, context: OAuthContext) => Promise<OAuthTokens>) | undefined;
};

export type OAuthContext = { endpoints: AdPlatformEndpoints; apps: AdPlatformApps; fetch: typeof fetch };

export type AdPlatformErrorKind = 'auth' | 'rate_limited' | 'unavailable' | 'invalid' | 'not_configured';

/** A platform refused or could not answer; `response` is its answer, trimmed, without secrets. */
export class AdPlatformError extends Error {
  constructor(
    readonly kind: AdPlatformErrorKind,
    message: string,
    readonly detail: { httpStatus?: number | null; response?: string; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'AdPlatformError';
  }
}

/** Trims a platform's answer for the log: enough to read the error, never a whole page. */
export function keptResponse(body: unknown, limit = 2_000): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
