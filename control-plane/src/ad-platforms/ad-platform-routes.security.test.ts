import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adPlatformWorld,
  connectAndForward,
  created,
  fakeEndpoints,
  testAdPlatformDeps,
} from '../../test/ad-platform-setup.ts';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { type MetaFake, startMetaFake } from '../../test/fakes/meta-fake.ts';
import { testApp } from '../../test/test-app.ts';
import { openTestPglite } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { adPlatformConnections } from '../db/schema/ad-platform-connections.ts';
import { encodeState } from './oauth-flow.ts';

const SECRET_TOKEN = 'EAAB-very-secret-system-user-token';

describe('ad-platform routes: who may do what', () => {
  let handle: DatabaseHandle;
  let meta: MetaFake;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof adPlatformWorld>>;
  let mine: { connectionId: string; destinationId: string };

  beforeAll(async () => {
    handle = await openTestPglite();
    meta = await startMetaFake({ appId: 'meta-app', appSecret: 'meta-app-secret' });
    const deps = testAdPlatformDeps(handle.db, {
      endpoints: fakeEndpoints({ metaGraphUrl: meta.url, metaDialogUrl: meta.url }),
      apps: { meta: { appId: 'meta-app', appSecret: 'meta-app-secret' } },
    });
    app = testApp(handle.db, { adPlatforms: deps });
    world = await adPlatformWorld(app, handle.db);
    mine = await connectAndForward(app, world.advertiser, {
      platform: 'meta',
      accessToken: SECRET_TOKEN,
      settings: { pixelId: '123456' },
    });
  });
  afterAll(async () => {
    await meta.close();
    await handle.close();
  });

  it('never returns or stores the token in clear', async () => {
    const list = await call(app, 'GET', '/api/v1/ad-platforms/connections', {
      token: world.advertiser.accessToken,
    });
    const text = await list.text();
    expect(text).toContain(mine.connectionId);
    expect(text).not.toContain(SECRET_TOKEN);
    const rows = await handle.db.select().from(adPlatformConnections);
    expect(rows.map((r) => r.credentials).join()).not.toContain(SECRET_TOKEN);
    expect(rows.every((r) => r.credentials?.startsWith('v1.'))).toBe(true);
  });

  it("refuses affiliates, and hides another advertiser's connections, destinations and logs", async () => {
    for (const path of [
      '/api/v1/ad-platforms/connections',
      '/api/v1/ad-platforms/destinations',
      '/api/v1/reports/roi?from=2026-11-01&to=2026-11-02',
    ]) {
      const response = await call(app, 'GET', path, { token: world.affiliate.accessToken });
      expect(response.status, path).toBe(403);
    }
    const other = await signUp(app, 'advertiser');
    const lists = await Promise.all([
      call(app, 'GET', '/api/v1/ad-platforms/connections', { token: other.accessToken }),
      call(app, 'GET', '/api/v1/ad-platforms/destinations', { token: other.accessToken }),
    ]);
    for (const response of lists) expect(await response.json()).toEqual({ data: [] });
    for (const path of [
      `/api/v1/ad-platforms/connections/${mine.connectionId}`,
      `/api/v1/ad-platforms/destinations/${mine.destinationId}`,
      `/api/v1/ad-platforms/destinations/${mine.destinationId}/deliveries`,
      `/api/v1/ad-platforms/connections/${mine.connectionId}/campaigns`,
    ]) {
      const response = await call(app, 'GET', path, { token: other.accessToken });
      expect(response.status, path).toBe(404);
    }
    // Nor may another advertiser forward through this connection, or point one at this advertiser's offer.
    const hijack = await call(app, 'POST', '/api/v1/ad-platforms/destinations', {
      token: other.accessToken,
      body: { connectionId: mine.connectionId, name: 'x', settings: { pixelId: '1' } },
    });
    expect(hijack.status).toBe(404);
    const theirs = await created<{ id: string }>(
      await call(app, 'POST', '/api/v1/ad-platforms/connections', {
        token: other.accessToken,
        body: { platform: 'meta', label: 'theirs', accessToken: 'another-token-123' },
      }),
    );
    const foreignOffer = await call(app, 'POST', '/api/v1/ad-platforms/destinations', {
      token: other.accessToken,
      body: { connectionId: theirs.id, offerId: world.offer.id, name: 'x', settings: { pixelId: '1' } },
    });
    expect(foreignOffer.status).toBe(404);
    // An advertiser cannot connect on another advertiser's behalf.
    const named = await call(app, 'POST', '/api/v1/ad-platforms/connections', {
      token: other.accessToken,
      body: {
        advertiserId: world.offer.advertiserId,
        platform: 'meta',
        label: 'x',
        accessToken: 'another-token-123',
      },
    });
    expect(await errorCode(named)).toBe('forbidden');
  });

  it('tells what each platform supports here: OAuth only where the network registered an app', async () => {
    const response = await call(app, 'GET', '/api/v1/ad-platforms/platforms', {
      token: world.advertiser.accessToken,
    });
    expect(((await response.json()) as { data: unknown[] }).data).toEqual([
      { platform: 'meta', label: 'Meta', oauth: true, spend: true, pauseCampaigns: true, retractions: 'no' },
      {
        platform: 'google',
        label: 'Google Ads',
        oauth: false,
        spend: true,
        pauseCampaigns: true,
        retractions: 'legacy_upload_only',
      },
      {
        platform: 'tiktok',
        label: 'TikTok',
        oauth: false,
        spend: true,
        pauseCampaigns: true,
        retractions: 'no',
      },
      {
        platform: 'microsoft',
        label: 'Microsoft Advertising',
        oauth: false,
        spend: false,
        pauseCampaigns: true,
        retractions: 'yes',
      },
    ]);
    const affiliate = await call(app, 'GET', '/api/v1/ad-platforms/platforms', {
      token: world.affiliate.accessToken,
    });
    expect(affiliate.status).toBe(403);
  });

  it('an admin sees every advertiser and must name the advertiser it connects for', async () => {
    const list = await call(app, 'GET', '/api/v1/ad-platforms/destinations', {
      token: world.admin.accessToken,
    });
    expect(((await list.json()) as { data: { id: string }[] }).data.map((d) => d.id)).toContain(
      mine.destinationId,
    );
    const unnamed = await call(app, 'POST', '/api/v1/ad-platforms/connections', {
      token: world.admin.accessToken,
      body: { platform: 'meta', label: 'x', accessToken: 'another-token-123' },
    });
    expect(await errorCode(unnamed)).toBe('invalid_request');
  });

  it('disconnecting erases the tokens and archives the destinations; only the owner may do it', async () => {
    const made = await connectAndForward(app, world.advertiser, {
      platform: 'meta',
      accessToken: 'EAAB-token-to-erase-123',
      settings: { pixelId: '99' },
    });
    const other = await signUp(app, 'advertiser');
    const refused = await call(
      app,
      'POST',
      `/api/v1/ad-platforms/connections/${made.connectionId}/disconnect`,
      {
        token: other.accessToken,
      },
    );
    expect(refused.status).toBe(404);
    const done = await call(app, 'POST', `/api/v1/ad-platforms/connections/${made.connectionId}/disconnect`, {
      token: world.advertiser.accessToken,
    });
    expect(await done.json()).toMatchObject({ status: 'disconnected' });
    const [row] = await handle.db
      .select()
      .from(adPlatformConnections)
      .where(eq(adPlatformConnections.id, made.connectionId));
    expect(row?.credentials).toBeNull();
    const destination = await call(app, 'GET', `/api/v1/ad-platforms/destinations/${made.destinationId}`, {
      token: world.advertiser.accessToken,
    });
    expect(await destination.json()).toMatchObject({ status: 'archived' });
    const sync = await call(app, 'POST', `/api/v1/ad-platforms/connections/${made.connectionId}/sync`, {
      token: world.advertiser.accessToken,
    });
    expect(await errorCode(sync)).toBe('conflict');
  });

  it('OAuth: the callback stores the grant for the advertiser in the signed state, and a forged state is refused', async () => {
    const start = await call(app, 'POST', '/api/v1/ad-platforms/oauth/meta/start', {
      token: world.advertiser.accessToken,
      body: { label: 'By OAuth', accountId: '555' },
    });
    const { url } = (await start.json()) as { url: string };
    expect(url.startsWith(`${meta.url}/v21.0/dialog/oauth?`)).toBe(true);
    const authorize = new URL(url);
    expect(authorize.searchParams.get('redirect_uri')).toBe(
      'http://api.test/api/v1/ad-platforms/oauth/meta/callback',
    );
    const state = authorize.searchParams.get('state') ?? '';
    const code = meta.grantCode('http://api.test/api/v1/ad-platforms/oauth/meta/callback');

    // A state signed with another key, or this state altered to another advertiser: back to the dashboard with an error.
    const forged = encodeState('not-the-secret-0123456789abcdefghijklmnop', {
      advertiserId: world.offer.advertiserId,
      platform: 'meta',
      userId: world.advertiser.userId,
      label: 'forged',
      accountId: null,
      loginAccountId: null,
      connectionId: null,
      expiresAt: Date.now() + 60_000,
      nonce: 'n',
    });
    for (const bad of [forged, `${state}x`]) {
      const response = await app.request(
        `/api/v1/ad-platforms/oauth/meta/callback?code=${code}&state=${encodeURIComponent(bad)}`,
      );
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('http://app.test/ad-platforms?error=invalid_state');
    }

    const back = await app.request(
      `/api/v1/ad-platforms/oauth/meta/callback?code=${code}&state=${encodeURIComponent(state)}`,
    );
    expect(back.status).toBe(302);
    const location = new URL(back.headers.get('location') ?? '');
    expect(location.origin).toBe('http://app.test');
    const connectionId = location.searchParams.get('connected');
    const shown = await call(app, 'GET', `/api/v1/ad-platforms/connections/${connectionId}`, {
      token: world.advertiser.accessToken,
    });
    expect(await shown.json()).toMatchObject({
      label: 'By OAuth',
      accountId: '555',
      source: 'oauth',
      status: 'active',
    });
    expect(meta.requests.some((r) => r.path.includes('oauth/access_token'))).toBe(true);
  });
});
