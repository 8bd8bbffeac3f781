import { z } from 'zod';
import {
  AdPlatformError,
  keptResponse,
  type OAuthClient,
  type OAuthContext,
  type OAuthTokens,
} from '../ad-platform.ts';

/**
 * Google's OAuth 2.0 for web server apps: the consent link, the code exchange and the refresh.
 * `access_type=offline` with `prompt=consent` makes Google give a refresh token every time, also
 * to an advertiser who granted access before (it gives none on a silent re-grant).
 */

/** Google Ads (spend, campaigns, legacy upload) and Data Manager (conversions). */
export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/adwords',
  'https://www.googleapis.com/auth/datamanager',
];

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  token_type: z.string(),
});
const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

// Token exchanges are short and the caller is a person waiting on a redirect.
const TOKEN_TIMEOUT_MS = 15_000;

function appOf(context: OAuthContext) {
  const app = context.apps.google;
  if (!app) throw new AdPlatformError('not_configured', 'Google OAuth is not configured (no client id).');
  return app;
}

async function tokenRequest(form: Record<string, string>, context: OAuthContext): Promise<OAuthTokens> {
  const app = appOf(context);
  const url = `${context.endpoints.googleTokenUrl.replace(/\/+$/, '')}/token`;
  let response: Response;
  try {
    response = await context.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ ...form, client_id: app.clientId, client_secret: app.clientSecret }),
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
  } catch {
    throw new AdPlatformError('unavailable', 'Google OAuth could not be reached.', { httpStatus: null });
  }
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = tokenErrorSchema.safeParse(json);
    // Only Google's error code and description are kept: the body never holds a token on failure.
    const kept = error.success ? keptResponse(error.data) : `HTTP ${response.status}`;
    const kind = response.status === 429 ? 'rate_limited' : response.status >= 500 ? 'unavailable' : 'auth';
    throw new AdPlatformError(
      kind,
      `Google refused the ${form.grant_type} grant (${error.success ? error.data.error : response.status}).`,
      {
        httpStatus: response.status,
        response: kept,
      },
    );
  }
  const tokens = tokenResponseSchema.safeParse(json);
  if (!tokens.success) {
    throw new AdPlatformError('invalid', 'Google answered the token request in an unexpected shape.', {
      httpStatus: response.status,
    });
  }
  return {
    accessToken: tokens.data.access_token,
    accessTokenExpiresAt: new Date(Date.now() + tokens.data.expires_in * 1000).toISOString(),
    // A refresh answer carries no new refresh token: the one used stays valid.
    refreshToken: tokens.data.refresh_token ?? form.refresh_token,
  };
}

export const googleOAuthClient: OAuthClient = {
  platform: 'google',
  authorizationUrl({ state, redirectUri }, context) {
    const app = appOf(context);
    const params = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: GOOGLE_SCOPES.join(' '),
      access_type: 'offline',
      prompt: 'consent',
      state,
    });
    return `${context.endpoints.googleAuthUrl.replace(/\/+$/, '')}/o/oauth2/v2/auth?${params}`;
  },
  exchangeCode({ code, redirectUri }, context) {
    return tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, context);
  },
  refresh(refreshToken, context) {
    return tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, context);
  },
};
