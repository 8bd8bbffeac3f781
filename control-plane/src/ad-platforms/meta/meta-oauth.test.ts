import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetaFake, metaFakeEndpoints, startMetaFake } from '../../../test/fakes/meta-fake.ts';
import { AdPlatformError, type OAuthContext } from '../ad-platform.ts';
import { metaCampaignClient } from './meta-campaigns.ts';
import { metaOAuthClient } from './meta-oauth.ts';

describe('Meta OAuth (Facebook Login)', () => {
  let fake: MetaFake;
  beforeAll(async () => {
    fake = await startMetaFake();
  });
  afterAll(() => fake.close());

  const redirectUri = 'https://tas.example/ad-platforms/meta/callback';
  const context = (
    apps: OAuthContext['apps'] = { meta: { appId: fake.appId, appSecret: fake.appSecret } },
  ) => ({
    endpoints: metaFakeEndpoints(fake.url),
    apps,
    fetch,
  });

  it('links to the dialog with the app, scopes and state, and the dialog gives back a code with the state', async () => {
    const link = new URL(metaOAuthClient.authorizationUrl({ state: 'st-123', redirectUri }, context()));
    expect(`${link.origin}${link.pathname}`).toBe(`${fake.url}/v21.0/dialog/oauth`);
    expect(Object.fromEntries(link.searchParams)).toEqual({
      client_id: fake.appId,
      redirect_uri: redirectUri,
      state: 'st-123',
      scope: 'ads_management,ads_read',
      response_type: 'code',
    });
    const consent = await fetch(link, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st-123');
    expect(back.searchParams.get('code')).toMatch(/^AQ/);
  });

  it('exchanges the code for a long-lived token that then works on the API', async () => {
    const code = fake.grantCode(redirectUri);
    fake.requests.length = 0;
    const before = Date.now();
    const tokens = await metaOAuthClient.exchangeCode({ code, redirectUri }, context());

    expect(fake.requests.map((r) => r.query.grant_type ?? 'code')).toEqual(['code', 'fb_exchange_token']);
    expect(fake.requests[0]?.query).toMatchObject({ client_id: fake.appId, redirect_uri: redirectUri, code });
    const expiresAt = Date.parse(tokens.accessTokenExpiresAt ?? '');
    expect(expiresAt - before).toBeGreaterThanOrEqual(5_184_000_000 - 1_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(5_184_000_000);
    expect(tokens.refreshToken).toBeUndefined();
    expect(metaOAuthClient.refresh).toBeUndefined();

    fake.setCampaigns('700', [{ id: '7001', name: 'Granted', effective_status: 'ACTIVE' }]);
    const listed = await metaCampaignClient.listCampaigns({
      connection: {
        id: 'c',
        platform: 'meta',
        accountId: '700',
        loginAccountId: null,
        credentials: { accessToken: tokens.accessToken },
      },
      endpoints: metaFakeEndpoints(fake.url),
      apps: {},
      fetch,
      timeoutMs: 5_000,
    });
    expect(listed.map((c) => c.platformCampaignId)).toEqual(['7001']);
  });

  it('refuses a used code and a wrong app secret without keeping the secret or code in the error', async () => {
    const code = fake.grantCode(redirectUri);
    await metaOAuthClient.exchangeCode({ code, redirectUri }, context());
    const reused = await metaOAuthClient
      .exchangeCode({ code, redirectUri }, context())
      .catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(AdPlatformError);
    expect((reused as AdPlatformError).kind).toBe('invalid');

    const fresh = fake.grantCode(redirectUri);
    const wrongSecret = await metaOAuthClient
      .exchangeCode(
        { code: fresh, redirectUri },
        context({ meta: { appId: fake.appId, appSecret: 'not-the-secret' } }),
      )
      .catch((e: unknown) => e);
    expect(wrongSecret).toBeInstanceOf(AdPlatformError);
    const error = wrongSecret as AdPlatformError;
    expect(error.detail.httpStatus).toBe(400);
    expect(`${error.message}${error.detail.response}`).not.toContain('not-the-secret');
    expect(`${error.message}${error.detail.response}`).not.toContain(fresh);
  });

  it('is not configured without a Meta app', async () => {
    expect(() => metaOAuthClient.authorizationUrl({ state: 's', redirectUri }, context({}))).toThrow(
      expect.objectContaining({ kind: 'not_configured' }),
    );
    await expect(metaOAuthClient.exchangeCode({ code: 'x', redirectUri }, context({}))).rejects.toMatchObject(
      {
        kind: 'not_configured',
      },
    );
  });
});
