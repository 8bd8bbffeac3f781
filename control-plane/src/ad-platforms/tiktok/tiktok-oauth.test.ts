import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTikTokFake,
  TIKTOK_FAKE_ADVERTISER_ID,
  TIKTOK_FAKE_APP_ID,
  TIKTOK_FAKE_SECRET,
  type TikTokFake,
} from '../../../test/fakes/tiktok-fake.ts';
import { type AdPlatformEndpoints, AdPlatformError, type OAuthContext } from '../ad-platform.ts';
import { tiktokCampaignClient } from './tiktok-campaigns.ts';
import { tiktokOAuthClient } from './tiktok-oauth.ts';

describe('TikTok OAuth', () => {
  let fake: TikTokFake;
  let context: OAuthContext;
  beforeAll(async () => {
    fake = await startTikTokFake();
    context = {
      endpoints: { tiktokUrl: fake.url } as AdPlatformEndpoints,
      apps: { tiktok: { appId: TIKTOK_FAKE_APP_ID, secret: TIKTOK_FAKE_SECRET } },
      fetch,
    };
  });
  afterAll(() => fake.close());

  it("links to TikTok's consent page with the app id, state and redirect uri", () => {
    const url = new URL(
      tiktokOAuthClient.authorizationUrl(
        { state: 's t&ate', redirectUri: 'https://tas.example/oauth/tiktok' },
        context,
      ),
    );
    expect(url.origin + url.pathname).toBe(`${fake.url}/portal/auth`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      app_id: TIKTOK_FAKE_APP_ID,
      state: 's t&ate',
      redirect_uri: 'https://tas.example/oauth/tiktok',
    });
  });

  it('exchanges the auth code for a long-term token that works, with the advertisers it reaches', async () => {
    const code = fake.issueAuthCode([TIKTOK_FAKE_ADVERTISER_ID, '7200000000000000002']);
    const tokens = await tiktokOAuthClient.exchangeCode(
      { code, redirectUri: 'https://tas.example/oauth/tiktok' },
      context,
    );
    expect(tokens.accountIds).toEqual([TIKTOK_FAKE_ADVERTISER_ID, '7200000000000000002']);
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.accessTokenExpiresAt).toBeUndefined();
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/open_api/v1.3/oauth2/access_token/',
      accessToken: undefined,
      body: { app_id: TIKTOK_FAKE_APP_ID, secret: TIKTOK_FAKE_SECRET, auth_code: code },
    });
    const campaigns = await tiktokCampaignClient.listCampaigns({
      connection: {
        id: 'conn-1',
        platform: 'tiktok',
        accountId: TIKTOK_FAKE_ADVERTISER_ID,
        loginAccountId: null,
        credentials: { accessToken: tokens.accessToken },
      },
      endpoints: context.endpoints,
      apps: context.apps,
      fetch,
      timeoutMs: 5_000,
    });
    expect(campaigns).toEqual([]);
    expect(tiktokOAuthClient.refresh).toBeUndefined();
  });

  it('refuses a used code and a wrong app secret as auth errors, and a missing app as not configured', async () => {
    const code = fake.issueAuthCode();
    await tiktokOAuthClient.exchangeCode({ code, redirectUri: 'https://tas.example/cb' }, context);
    const reused = await tiktokOAuthClient
      .exchangeCode({ code, redirectUri: 'https://tas.example/cb' }, context)
      .catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(AdPlatformError);
    expect((reused as AdPlatformError).kind).toBe('auth');
    expect((reused as AdPlatformError).detail.response).toContain('40110');

    const wrongSecret = await tiktokOAuthClient
      .exchangeCode(
        { code: fake.issueAuthCode(), redirectUri: 'https://tas.example/cb' },
        { ...context, apps: { tiktok: { appId: TIKTOK_FAKE_APP_ID, secret: 'wrong' } } },
      )
      .catch((e: unknown) => e);
    expect((wrongSecret as AdPlatformError).kind).toBe('auth');
    expect((wrongSecret as AdPlatformError).detail.response).not.toContain('wrong');

    expect(() =>
      tiktokOAuthClient.authorizationUrl({ state: 's', redirectUri: 'https://x' }, { ...context, apps: {} }),
    ).toThrow(expect.objectContaining({ kind: 'not_configured' }));
  });

  it('reports an outage as unavailable', async () => {
    fake.failNext(1, 'http_500');
    const error = await tiktokOAuthClient
      .exchangeCode({ code: fake.issueAuthCode(), redirectUri: 'https://tas.example/cb' }, context)
      .catch((e: unknown) => e);
    expect((error as AdPlatformError).kind).toBe('unavailable');
  });
});
