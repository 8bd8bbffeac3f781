import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adPlatformWorld,
  connectAndForward,
  fakeEndpoints,
  testAdPlatformDeps,
} from '../../test/ad-platform-setup.ts';
import { call, errorCode } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { openTestPglite } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe('ad-platform routes: bad input gets a clear error', () => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof adPlatformWorld>>;
  let token: string;

  beforeAll(async () => {
    handle = await openTestPglite();
    // Every platform at a closed port: calls to them fail as an outage would.
    app = testApp(handle.db, {
      adPlatforms: testAdPlatformDeps(handle.db, { endpoints: fakeEndpoints({}) }),
    });
    world = await adPlatformWorld(app, handle.db);
    token = world.advertiser.accessToken;
  });
  afterAll(async () => handle.close());

  it('refuses unknown platforms, malformed account ids and short tokens', async () => {
    for (const body of [
      { platform: 'myspace', label: 'x', accessToken: 'token-123456' },
      { platform: 'meta', label: 'x', accountId: 'act_12', accessToken: 'token-123456' },
      { platform: 'meta', label: 'x', accessToken: 'short' },
      { platform: 'meta', label: '', accessToken: 'token-123456' },
    ]) {
      const response = await call(app, 'POST', '/api/v1/ad-platforms/connections', { token, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await errorCode(response)).toBe('invalid_request');
    }
  });

  it('names the setting a platform cannot send without, and refuses settings of the wrong shape', async () => {
    const { connectionId } = await connectAndForward(app, world.advertiser, {
      platform: 'google',
      accessToken: 'ya29.token-123',
      settings: { conversionActionId: '42' },
    });
    const missing = await call(app, 'POST', '/api/v1/ad-platforms/destinations', {
      token,
      body: { connectionId, name: 'x', settings: { pixelId: '1' } },
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe(
      'settings.conversionActionId is required for google.',
    );
    const unknownKey = await call(app, 'POST', '/api/v1/ad-platforms/destinations', {
      token,
      body: { connectionId, name: 'x', settings: { conversionActionId: '1', colour: 'red' } },
    });
    expect(unknownKey.status).toBe(400);
    const notAConnection = await call(app, 'POST', '/api/v1/ad-platforms/destinations', {
      token,
      body: { connectionId: crypto.randomUUID(), name: 'x', settings: { conversionActionId: '1' } },
    });
    expect(await errorCode(notAConnection)).toBe('not_found');
  });

  it('keeps an archived destination archived, and replays nothing through it', async () => {
    const { destinationId } = await connectAndForward(app, world.advertiser, {
      platform: 'tiktok',
      accessToken: 'tiktok-token-123',
      settings: { pixelCode: 'C1234567890ABC' },
    });
    const archive = await call(app, 'PATCH', `/api/v1/ad-platforms/destinations/${destinationId}`, {
      token,
      body: { status: 'archived' },
    });
    expect(await archive.json()).toMatchObject({ status: 'archived' });
    const revive = await call(app, 'PATCH', `/api/v1/ad-platforms/destinations/${destinationId}`, {
      token,
      body: { status: 'active' },
    });
    expect(await errorCode(revive)).toBe('conflict');
    const replay = await call(app, 'POST', `/api/v1/ad-platforms/destinations/${destinationId}/replay`, {
      token,
      body: {},
    });
    expect(await errorCode(replay)).toBe('conflict');
  });

  it('answers platform_error when the platform cannot be reached, and says why on the connection', async () => {
    const { connectionId } = await connectAndForward(app, world.advertiser, {
      platform: 'meta',
      accessToken: 'meta-token-123',
      settings: { pixelId: '7' },
    });
    const sync = await call(app, 'POST', `/api/v1/ad-platforms/connections/${connectionId}/sync`, { token });
    expect(sync.status).toBe(502);
    expect(await errorCode(sync)).toBe('platform_error');
    const shown = await call(app, 'GET', `/api/v1/ad-platforms/connections/${connectionId}`, { token });
    const body = (await shown.json()) as { status: string; lastError: string | null };
    // An outage is not the advertiser's credentials: still active, with the error kept.
    expect(body.status).toBe('active');
    expect(body.lastError).toBeTruthy();
  });

  it('refuses OAuth for a platform whose app is not configured, and a report range backwards or too long', async () => {
    const start = await call(app, 'POST', '/api/v1/ad-platforms/oauth/google/start', {
      token,
      body: { label: 'x' },
    });
    expect(start.status).toBe(503);
    expect(await errorCode(start)).toBe('platform_not_configured');
    for (const query of [
      'from=2026-11-10&to=2026-11-01',
      'from=2024-01-01&to=2026-11-01',
      'from=2026-13-01&to=2026-11-01',
    ]) {
      const response = await call(app, 'GET', `/api/v1/reports/roi?${query}`, { token });
      expect(response.status, query).toBe(400);
    }
  });
});
