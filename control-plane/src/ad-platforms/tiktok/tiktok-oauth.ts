import { z } from 'zod';
import { AdPlatformError, keptResponse, type OAuthClient, type OAuthContext } from '../ad-platform.ts';
import { callTikTok, classifyTikTokCode, tiktokApiUrl, tiktokDataOrThrow } from './tiktok-api.ts';

// The token exchange has no timeout of its own in the OAuth context; an advertiser waits on it.
const EXCHANGE_TIMEOUT_MS = 15_000;

const accessTokenDataSchema = z.object({
  access_token: z.string().min(1),
  advertiser_ids: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  scope: z.unknown().optional(),
});

function appOf(context: OAuthContext) {
  const app = context.apps.tiktok;
  if (!app) throw new AdPlatformError('not_configured', 'No TikTok app is configured.');
  return app;
}

/**
 * TikTok's advertiser authorisation: the consent page on the Business portal, then the auth code
 * exchanged for a long-term access token (no expiry, no refresh: a revoked one needs a new grant).
 */
export const tiktokOAuthClient: OAuthClient = {
  platform: 'tiktok',

  authorizationUrl({ state, redirectUri }, context) {
    const url = new URL('/portal/auth', context.endpoints.tiktokUrl);
    url.search = new URLSearchParams({
      app_id: appOf(context).appId,
      state,
      redirect_uri: redirectUri,
    }).toString();
    return url.toString();
  },

  async exchangeCode({ code }, context) {
    const app = appOf(context);
    const answer = await callTikTok(
      {
        method: 'POST',
        url: tiktokApiUrl(context.endpoints.tiktokUrl, '/oauth2/access_token/'),
        accessToken: null,
        body: { app_id: app.appId, secret: app.secret, auth_code: code },
      },
      { fetch: context.fetch, timeoutMs: EXCHANGE_TIMEOUT_MS },
    );
    if (answer.kind === 'envelope') {
      const meaning = classifyTikTokCode(answer.envelope.code);
      // A refused exchange (a used or expired code, 40110; a wrong app secret, 40101) means the
      // grant failed, whatever TikTok's code family.
      if (meaning === 'invalid' || meaning === 'parameter_error') {
        throw new AdPlatformError('auth', `TikTok refused the authorisation code: ${answer.envelope.code}.`, {
          httpStatus: answer.httpStatus,
          response: keptResponse({ code: answer.envelope.code, message: answer.envelope.message }),
        });
      }
    }
    const data = accessTokenDataSchema.safeParse(
      tiktokDataOrThrow(answer, 'the authorisation code exchange'),
    );
    if (!data.success) {
      throw new AdPlatformError('invalid', "TikTok's token answer is not in the documented shape.");
    }
    return { accessToken: data.data.access_token, accountIds: data.data.advertiser_ids };
  },
};
