import { DEFAULT_TRACKING_PRIVACY } from '@tas/shared/privacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { resyncEdge } from '../edge-sync/resync.ts';

describe.each(testDatabases)('/api/v1/network-settings on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let recorder: Awaited<ReturnType<typeof startEdgeRecorder>>;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    recorder = await startEdgeRecorder();
    app = testApp(handle.db, {
      edge: recorder.edge,
    });
  });
  afterAll(async () => {
    await recorder.close();
    await handle.close();
  });

  it('replaces the blocklists, publishes them, and resync publishes them again', async () => {
    const admin = await adminSession(app, handle.db);
    const initial = await call(app, 'GET', '/api/v1/network-settings', { token: admin.accessToken });
    expect(await initial.json()).toEqual({
      blockedIps: [],
      blockedUserAgents: [],
      exchangeRates: [],
      privacy: DEFAULT_TRACKING_PRIVACY,
      revision: 1,
    });
    const body = {
      blockedIps: ['198.51.100.0/24', '2001:db8::/32'],
      blockedUserAgents: ['sqlmap', 'sqlmap'],
    };
    const response = await call(app, 'PUT', '/api/v1/network-settings', { token: admin.accessToken, body });
    const expected = {
      blockedIps: body.blockedIps,
      blockedUserAgents: ['sqlmap'],
      exchangeRates: [],
      privacy: DEFAULT_TRACKING_PRIVACY,
      revision: 2,
    };
    expect(await response.json()).toEqual(expected);
    expect(recorder.received.at(-1)?.network).toEqual(expected);

    recorder.received.length = 0;
    await resyncEdge(handle.db, recorder.edge);
    expect(recorder.received[0]?.network).toEqual(expected);
  });

  it('keeps exchange rates, publishes them to the edge, and leaves them alone when a PUT omits them', async () => {
    const admin = await adminSession(app, handle.db);
    const rates = [
      { from: 'JPY', to: 'USD', rate: '0.0067' },
      { from: 'EUR', to: 'USD', rate: '1.0825' },
    ];
    const put = await call(app, 'PUT', '/api/v1/network-settings', {
      token: admin.accessToken,
      body: { blockedIps: [], blockedUserAgents: [], exchangeRates: rates },
    });
    expect(((await put.json()) as { exchangeRates: unknown }).exchangeRates).toEqual(rates);
    expect(recorder.received.at(-1)?.network?.exchangeRates).toEqual(rates);
    const blocklistOnly = await call(app, 'PUT', '/api/v1/network-settings', {
      token: admin.accessToken,
      body: { blockedIps: ['192.0.2.1'], blockedUserAgents: [] },
    });
    expect(((await blocklistOnly.json()) as { exchangeRates: unknown }).exchangeRates).toEqual(rates);
  });

  it('sets the privacy settings, publishes them, and leaves them alone when a PUT omits them', async () => {
    const admin = await adminSession(app, handle.db);
    const privacy = {
      ipMode: 'hashed',
      userAgentMode: 'parsed',
      consentRequired: true,
      forwardEuVisitors: false,
    };
    const put = await call(app, 'PUT', '/api/v1/network-settings', {
      token: admin.accessToken,
      body: { blockedIps: [], blockedUserAgents: [], privacy },
    });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { privacy: unknown }).privacy).toEqual(privacy);
    expect(recorder.received.at(-1)?.network?.privacy).toEqual(privacy);
    // Fields left out take their defaults; a PUT without `privacy` keeps what is set.
    const partial = await call(app, 'PUT', '/api/v1/network-settings', {
      token: admin.accessToken,
      body: { blockedIps: [], blockedUserAgents: [], privacy: { ipMode: 'truncated' } },
    });
    expect(((await partial.json()) as { privacy: unknown }).privacy).toEqual({
      ...DEFAULT_TRACKING_PRIVACY,
      ipMode: 'truncated',
    });
    const untouched = await call(app, 'PUT', '/api/v1/network-settings', {
      token: admin.accessToken,
      body: { blockedIps: [], blockedUserAgents: [] },
    });
    expect(((await untouched.json()) as { privacy: { ipMode: string } }).privacy.ipMode).toBe('truncated');
  });
});
