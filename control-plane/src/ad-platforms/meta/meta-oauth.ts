import { z } from 'zod';
import { AdPlatformError, type OAuthClient, type OAuthContext } from '../ad-platform.ts';
import {
  describeMetaError,
  keptMetaResponse,
  META_GRAPH_VERSION,
  meaningOfMetaError,
  metaGraphUrl,
} from './meta-graph.ts';

/**
 * Facebook Login for TAS's Meta app: the dialog link, then the code exchanged for a short-lived
 * token and that one for a long-lived token (about 60 days). Meta has no refresh token: when the
 * long-lived token runs out the advertiser grants again.
 */

const SCOPES = 'ads_management,ads_read';
// OAuthContext carries no timeout; a token exchange that hangs longer than this failed.
const TIMEOUT_MS = 30_000;

export const metaTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  // Absent for tokens that do not expire.
  expires_in: z.number().int().positive().optional(),
});

function metaApp(context: OAuthContext) {
  const app = context.apps.meta;
  if (!app) throw new AdPlatformError('not_configured', 'No Meta app is configured.');
  return app;
}

async function tokenRequest(context: OAuthContext, query: Record<string, string>, secrets: string[]) {
  const url = new URL(metaGraphUrl(context.endpoints.metaGraphUrl, 'oauth/access_token'));
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const keep = (body: unknown) =>
    secrets.reduce((text, secret) => keptMetaResponse(text, secret), JSON.stringify(body));
  let response: Response;
  try {
    response = await context.fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new AdPlatformError('unavailable', 'Meta could not be reached for an access token.', {
      httpStatus: null,
    });
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const meaning = meaningOfMetaError(response.status, body);
    throw new AdPlatformError(meaning.kind, describeMetaError(response.status, meaning.error), {
      httpStatus: response.status,
      response: keep(body),
    });
  }
  const tokens = metaTokenResponseSchema.safeParse(body);
  if (!tokens.success) {
    throw new AdPlatformError('unavailable', 'Meta answered the token request in an unexpected shape.', {
      httpStatus: response.status,
    });
  }
  return tokens.data;
}

export const metaOAuthClient: OAuthClient = {
  platform: 'meta',

  authorizationUrl({ state, redirectUri }, context) {
    const app = metaApp(context);
    const url = new URL(
      `${context.endpoints.metaDialogUrl.replace(/\/+$/, '')}/${META_GRAPH_VERSION}/dialog/oauth`,
    );
    url.searchParams.set('client_id', app.appId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('state', state);
    url.searchParams.set('scope', SCOPES);
    url.searchParams.set('response_type', 'code');
    return url.toString();
  },

  async exchangeCode({ code, redirectUri }, context) {
    const app = metaApp(context);
    const short = await tokenRequest(
      context,
      { client_id: app.appId, client_secret: app.appSecret, redirect_uri: redirectUri, code },
      [app.appSecret, code],
    );
    const long = await tokenRequest(
      context,
      {
        grant_type: 'fb_exchange_token',
        client_id: app.appId,
        client_secret: app.appSecret,
        fb_exchange_token: short.access_token,
      },
      [app.appSecret, short.access_token],
    );
    return {
      accessToken: long.access_token,
      ...(long.expires_in === undefined
        ? {}
        : { accessTokenExpiresAt: new Date(Date.now() + long.expires_in * 1000).toISOString() }),
    };
  },
};
