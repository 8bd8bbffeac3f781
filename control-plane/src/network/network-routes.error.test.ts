import { DEFAULT_TRACKING_PRIVACY } from '@tas/shared/privacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { networkConfigOf } from '../edge-sync/network-config.ts';

describe.each(testDatabases)('/api/v1/network-settings bad input on $name', ({ open }) => {
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

  it('refuses bad entries and keeps the lists when the edge is down', async () => {
    const admin = await adminSession(app, handle.db);
    for (const body of [
      {},
      { blockedIps: ['10.0.0.0/33'], blockedUserAgents: [] },
      { blockedIps: [], blockedUserAgents: ['ab'] },
      { blockedIps: [], blockedUserAgents: [], exchangeRates: [{ from: 'EUR', to: 'USD', rate: '0' }] },
      { blockedIps: [], blockedUserAgents: [], exchangeRates: [{ from: 'EUR', to: 'USD', rate: '-1.1' }] },
      { blockedIps: [], blockedUserAgents: [], exchangeRates: [{ from: 'EUR', to: 'USD', rate: 1.1 }] },
      { blockedIps: [], blockedUserAgents: [], exchangeRates: [{ from: 'USD', to: 'USD', rate: '1' }] },
      { blockedIps: [], blockedUserAgents: [], exchangeRates: [{ from: 'eur', to: 'USD', rate: '1' }] },
      { blockedIps: [], blockedUserAgents: [], privacy: { ipMode: 'anonymised' } },
      { blockedIps: [], blockedUserAgents: [], privacy: { consentRequired: 'yes' } },
      { blockedIps: [], blockedUserAgents: [], privacy: { ipMode: null } },
      {
        blockedIps: [],
        blockedUserAgents: [],
        exchangeRates: [
          { from: 'EUR', to: 'USD', rate: '1.1' },
          { from: 'EUR', to: 'USD', rate: '1.2' },
        ],
      },
    ]) {
      const response = await call(app, 'PUT', '/api/v1/network-settings', { token: admin.accessToken, body });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    recorder.fail(true);
    try {
      const response = await call(app, 'PUT', '/api/v1/network-settings', {
        token: admin.accessToken,
        body: { blockedIps: ['192.0.2.1'], blockedUserAgents: [] },
      });
      expect([response.status, await errorCode(response)]).toEqual([502, 'edge_unavailable']);
    } finally {
      recorder.fail(false);
    }
    expect(await networkConfigOf(handle.db)).toEqual({
      blockedIps: [],
      blockedUserAgents: [],
      exchangeRates: [],
      privacy: DEFAULT_TRACKING_PRIVACY,
      revision: 1,
    });
  });
});
