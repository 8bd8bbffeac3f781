import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MICROSOFT_FAKE_ACCOUNT_ID,
  MICROSOFT_FAKE_CLIENT_ID,
  MICROSOFT_FAKE_CLIENT_SECRET,
  MICROSOFT_FAKE_CUSTOMER_ID,
  MICROSOFT_FAKE_DEVELOPER_TOKEN,
  MICROSOFT_FAKE_REFRESH_TOKEN,
  type MicrosoftFake,
  startMicrosoftFake,
} from '../../../test/fakes/microsoft-fake.ts';
import { type AdPlatformEndpoints, AdPlatformError, type OAuthContext } from '../ad-platform.ts';
import { microsoftCampaignClient } from './microsoft-campaigns.ts';
import { microsoftOAuthClient } from './microsoft-oauth.ts';

const REDIRECT = 'https://tas.example/oauth/microsoft';

describe('Microsoft Advertising OAuth', () => {
  let fake: MicrosoftFake;
  let context: OAuthContext;
  beforeAll(async () => {
    fake = await startMicrosoftFake();
    context = {
      endpoints: { microsoftLoginUrl: fake.url, microsoftAdsUrl: fake.url } as AdPlatformEndpoints,
      apps: {
        microsoft: {
          clientId: MICROSOFT_FAKE_CLIENT_ID,
          clientSecret: MICROSOFT_FAKE_CLIENT_SECRET,
          developerToken: MICROSOFT_FAKE_DEVELOPER_TOKEN,
        },
      },
      fetch,
    };
  });
  afterAll(() => fake.close());

  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AdPlatformError);
    return error as AdPlatformError;
  };

  it('links to the v2.0 authorize endpoint of the common tenant with the ads scope', () => {
    const url = new URL(
      microsoftOAuthClient.authorizationUrl({ state: 'st&1', redirectUri: REDIRECT }, context),
    );
    expect(url.origin + url.pathname).toBe(`${fake.url}/common/oauth2/v2.0/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: MICROSOFT_FAKE_CLIENT_ID,
      response_type: 'code',
      redirect_uri: REDIRECT,
      response_mode: 'query',
      scope: 'https://ads.microsoft.com/msads.manage offline_access',
      state: 'st&1',
    });
  });

  it('exchanges the code for tokens that work, form-encoded', async () => {
    const started = Date.now();
    const code = fake.issueAuthCode(REDIRECT);
    const tokens = await microsoftOAuthClient.exchangeCode({ code, redirectUri: REDIRECT }, context);
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/common/oauth2/v2.0/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: {
        client_id: MICROSOFT_FAKE_CLIENT_ID,
        client_secret: MICROSOFT_FAKE_CLIENT_SECRET,
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        scope: 'https://ads.microsoft.com/msads.manage offline_access',
      },
    });
    expect(tokens.refreshToken).toMatch(/^ms-fake-rt-/);
    const expiresAt = Date.parse(tokens.accessTokenExpiresAt ?? '');
    expect(expiresAt).toBeGreaterThanOrEqual(started + 3_599_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3_599_000);
    const campaigns = await microsoftCampaignClient.listCampaigns({
      connection: {
        id: 'conn-1',
        platform: 'microsoft',
        accountId: MICROSOFT_FAKE_ACCOUNT_ID,
        loginAccountId: MICROSOFT_FAKE_CUSTOMER_ID,
        credentials: tokens,
      },
      endpoints: context.endpoints,
      apps: context.apps,
      fetch,
      timeoutMs: 5_000,
    });
    expect(campaigns).toEqual([]);
  });

  it('refreshes with the refresh token, and the old one no longer works', async () => {
    const tokens = await microsoftOAuthClient.refresh?.(MICROSOFT_FAKE_REFRESH_TOKEN, context);
    expect(tokens?.accessToken).toMatch(/^ms-fake-at-/);
    expect(tokens?.refreshToken).not.toBe(MICROSOFT_FAKE_REFRESH_TOKEN);
    expect(fake.requests.at(-1)?.body).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: MICROSOFT_FAKE_REFRESH_TOKEN,
    });

    const reused = await failure(
      microsoftOAuthClient.refresh?.(MICROSOFT_FAKE_REFRESH_TOKEN, context) ?? Promise.resolve(),
    );
    expect(reused.kind).toBe('auth');
    expect(reused.detail.httpStatus).toBe(400);
    expect(reused.detail.response).toContain('invalid_grant');
    expect(reused.detail.response).not.toContain(MICROSOFT_FAKE_REFRESH_TOKEN);
  });

  it('refuses a code for another redirect uri as an auth error and a wrong secret as not configured', async () => {
    const code = fake.issueAuthCode('https://elsewhere.example/cb');
    expect(
      (await failure(microsoftOAuthClient.exchangeCode({ code, redirectUri: REDIRECT }, context))).kind,
    ).toBe('auth');
    const wrongSecret = await failure(
      microsoftOAuthClient.exchangeCode(
        { code: fake.issueAuthCode(REDIRECT), redirectUri: REDIRECT },
        {
          ...context,
          apps: {
            microsoft: { clientId: MICROSOFT_FAKE_CLIENT_ID, clientSecret: 'nope', developerToken: 'd' },
          },
        },
      ),
    );
    expect(wrongSecret.kind).toBe('not_configured');
    expect(() =>
      microsoftOAuthClient.authorizationUrl({ state: 's', redirectUri: REDIRECT }, { ...context, apps: {} }),
    ).toThrow(expect.objectContaining({ kind: 'not_configured' }));
  });
});
