import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GoogleFake, startGoogleFake } from '../../../test/fakes/google-fake.ts';
import { type AdPlatformEndpoints, AdPlatformError, type OAuthContext } from '../ad-platform.ts';
import { googleCampaignClient } from './google-campaigns.ts';
import { googleOAuthClient } from './google-oauth.ts';

let fake: GoogleFake;
beforeEach(async () => {
  fake = await startGoogleFake();
});
afterEach(() => fake.close());

const REDIRECT = 'https://tas.example/oauth/google/callback';

function contextFor(overrides: Partial<OAuthContext> = {}): OAuthContext {
  return {
    endpoints: { ...fake.endpoints } as unknown as AdPlatformEndpoints,
    apps: { google: fake.app },
    fetch,
    ...overrides,
  };
}

async function caught(promise: Promise<unknown>): Promise<AdPlatformError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AdPlatformError))
    throw new Error(`expected an AdPlatformError, got ${String(error)}`);
  return error;
}

describe('googleOAuthClient', () => {
  it('links to the consent screen asking offline access to Google Ads and Data Manager', () => {
    const link = new URL(
      googleOAuthClient.authorizationUrl({ state: 's-1', redirectUri: REDIRECT }, contextFor()),
    );
    expect(`${link.origin}${link.pathname}`).toBe(`${fake.url}/o/oauth2/v2/auth`);
    expect(Object.fromEntries(link.searchParams)).toEqual({
      client_id: fake.clientId,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'https://www.googleapis.com/auth/adwords https://www.googleapis.com/auth/datamanager',
      access_type: 'offline',
      prompt: 'consent',
      state: 's-1',
    });
  });

  it('follows the consent redirect, exchanges the code, and the token then works on the API', async () => {
    const link = googleOAuthClient.authorizationUrl({ state: 'st', redirectUri: REDIRECT }, contextFor());
    const consent = await fetch(link, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('st');

    const before = Date.now();
    const tokens = await googleOAuthClient.exchangeCode(
      { code: back.searchParams.get('code')!, redirectUri: REDIRECT },
      contextFor(),
    );

    expect(tokens.accessToken).toMatch(/^ya29\./);
    expect(tokens.refreshToken).toMatch(/^1\/\//);
    const expiresAt = Date.parse(tokens.accessTokenExpiresAt!);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3_599_000);
    const exchange = fake.requests.find((r) => r.path === '/token')!;
    expect(exchange.body).toEqual({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code'),
      redirect_uri: REDIRECT,
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
    });

    fake.setCampaigns('1234567890', [{ id: '1', name: 'A', status: 'ENABLED' }]);
    const campaigns = await googleCampaignClient.listCampaigns({
      ...contextFor(),
      connection: {
        id: 'c',
        platform: 'google',
        accountId: '1234567890',
        loginAccountId: null,
        credentials: { accessToken: tokens.accessToken },
      },
      timeoutMs: 5_000,
    });
    expect(campaigns).toHaveLength(1);
  });

  it('refreshes, keeping the refresh token Google does not repeat', async () => {
    const first = await googleOAuthClient.exchangeCode(
      { code: fake.authorizationCode(REDIRECT), redirectUri: REDIRECT },
      contextFor(),
    );

    const refreshed = await googleOAuthClient.refresh!(first.refreshToken!, contextFor());

    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(refreshed.refreshToken).toBe(first.refreshToken);
    expect(fake.requests.at(-1)!.body).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: first.refreshToken,
    });
  });

  it("throws auth for invalid_grant (a used code, a revoked refresh token) with Google's description only", async () => {
    const code = fake.authorizationCode(REDIRECT);
    const tokens = await googleOAuthClient.exchangeCode({ code, redirectUri: REDIRECT }, contextFor());
    const reused = await caught(
      googleOAuthClient.exchangeCode({ code, redirectUri: REDIRECT }, contextFor()),
    );
    expect(reused.kind).toBe('auth');
    expect(reused.detail).toMatchObject({ httpStatus: 400 });
    expect(JSON.parse(reused.detail.response!)).toEqual({
      error: 'invalid_grant',
      error_description: 'Bad Request',
    });

    fake.revokeRefreshTokens();
    const revoked = await caught(googleOAuthClient.refresh!(tokens.refreshToken!, contextFor()));
    expect(revoked.kind).toBe('auth');
    expect(revoked.message).toContain('invalid_grant');
    expect(revoked.detail.response).not.toContain(tokens.refreshToken!);
  });

  it('throws unavailable on a 5xx and not_configured without the app', async () => {
    fake.failNext(1, 503);
    const down = await caught(googleOAuthClient.refresh!('1//x', contextFor()));
    expect(down.kind).toBe('unavailable');

    expect(() =>
      googleOAuthClient.authorizationUrl({ state: 's', redirectUri: REDIRECT }, contextFor({ apps: {} })),
    ).toThrow(AdPlatformError);
  });
});
