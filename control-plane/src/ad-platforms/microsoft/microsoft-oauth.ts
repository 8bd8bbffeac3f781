import { z } from 'zod';
import {
  AdPlatformError,
  type AdPlatformErrorKind,
  keptResponse,
  type OAuthClient,
  type OAuthContext,
  type OAuthTokens,
} from '../ad-platform.ts';

/** The delegated permission Microsoft Advertising asks for, with offline_access for a refresh token. */
export const MICROSOFT_ADS_SCOPE = 'https://ads.microsoft.com/msads.manage offline_access';
const TOKEN_TIMEOUT_MS = 15_000;

const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
});

const tokenErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
  trace_id: z.string().optional(),
  correlation_id: z.string().optional(),
});

function appOf(context: OAuthContext) {
  const app = context.apps.microsoft;
  if (!app) throw new AdPlatformError('not_configured', 'No Microsoft Advertising app is configured.');
  return app;
}

const tokenUrl = (context: OAuthContext) =>
  `${context.endpoints.microsoftLoginUrl.replace(/\/+$/, '')}/common/oauth2/v2.0/token`;

// invalid_client and unauthorized_client mean the app registration is wrong, not the grant.
const APP_ERRORS = new Set(['invalid_client', 'unauthorized_client']);

async function requestTokens(
  form: Record<string, string>,
  context: OAuthContext,
  previousRefreshToken?: string,
): Promise<OAuthTokens> {
  const app = appOf(context);
  let response: Response;
  try {
    response = await context.fetch(tokenUrl(context), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope: MICROSOFT_ADS_SCOPE,
        ...form,
      }).toString(),
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
  } catch {
    throw new AdPlatformError('unavailable', 'The Microsoft identity platform could not be reached.');
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const tokens = tokenSchema.safeParse(json);
    if (!tokens.success) {
      // Not kept: a malformed success may still hold a token.
      throw new AdPlatformError('invalid', "Microsoft's token answer is not in the documented shape.", {
        httpStatus: response.status,
      });
    }
    const refreshToken = tokens.data.refresh_token ?? previousRefreshToken;
    return {
      accessToken: tokens.data.access_token,
      ...(refreshToken ? { refreshToken } : {}),
      accessTokenExpiresAt: new Date(Date.now() + tokens.data.expires_in * 1000).toISOString(),
    };
  }
  const error = tokenErrorSchema.safeParse(json);
  const kind: AdPlatformErrorKind =
    response.status === 429
      ? 'rate_limited'
      : response.status >= 500
        ? 'unavailable'
        : error.success && APP_ERRORS.has(error.data.error)
          ? 'not_configured'
          : 'auth';
  throw new AdPlatformError(
    kind,
    `Microsoft refused the token request (${response.status}${error.success ? ` ${error.data.error}` : ''}).`,
    {
      httpStatus: response.status,
      response: keptResponse(
        error.success
          ? {
              error: error.data.error,
              error_description: error.data.error_description,
              error_codes: error.data.error_codes,
            }
          : json,
      ),
    },
  );
}

/**
 * Microsoft Advertising's OAuth on the Microsoft identity platform (v2.0 endpoints, the `common`
 * tenant so work and personal Microsoft accounts both sign in). Access tokens last about an hour;
 * the refresh token renews them.
 */
export const microsoftOAuthClient: OAuthClient = {
  platform: 'microsoft',

  authorizationUrl({ state, redirectUri }, context) {
    const url = new URL(
      `${context.endpoints.microsoftLoginUrl.replace(/\/+$/, '')}/common/oauth2/v2.0/authorize`,
    );
    url.search = new URLSearchParams({
      client_id: appOf(context).clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      response_mode: 'query',
      scope: MICROSOFT_ADS_SCOPE,
      state,
    }).toString();
    return url.toString();
  },

  exchangeCode({ code, redirectUri }, context) {
    return requestTokens({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, context);
  },

  refresh(refreshToken, context) {
    return requestTokens({ grant_type: 'refresh_token', refresh_token: refreshToken }, context, refreshToken);
  },
};
