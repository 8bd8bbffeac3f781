import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAffiliateEndpoint } from '../../test/affiliate-endpoint.ts';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import {
  conversionBatch,
  deliveriesOf,
  ingest,
  postbackWorld,
  setDeliveryState,
} from '../../test/postback-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/postback-deliveries bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('answers not_found for an unknown delivery and invalid_request for a malformed id', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const unknown = await call(app, 'POST', `/api/v1/postback-deliveries/${crypto.randomUUID()}/replay`, {
      token: affiliate.accessToken,
    });
    expect([unknown.status, await errorCode(unknown)]).toEqual([404, 'not_found']);
    const malformed = await call(app, 'GET', '/api/v1/postback-deliveries/not-a-uuid/attempts', {
      token: affiliate.accessToken,
    });
    expect([malformed.status, await errorCode(malformed)]).toEqual([400, 'invalid_request']);
    const badState = await call(app, 'GET', '/api/v1/postback-deliveries?state=lost', {
      token: affiliate.accessToken,
    });
    expect([badState.status, await errorCode(badState)]).toEqual([400, 'invalid_request']);
  });

  it('refuses a bulk replay it cannot read, queueing nothing', async () => {
    const endpoint = await startAffiliateEndpoint();
    try {
      const world = await postbackWorld(app, handle.db, { url: `${endpoint.url}/x` });
      await ingest(app, (await conversionBatch(world.affiliate, world.offer.id)).events);
      await setDeliveryState(handle.db, world.postback.id, 'failed');
      const cases: [Record<string, unknown> | string, string][] = [
        [{ states: [], dryRun: false }, 'invalid_request'],
        [{ states: ['pending'], dryRun: false }, 'invalid_request'],
        [{ states: 'failed', dryRun: false }, 'invalid_request'],
        [{ limit: 0, dryRun: false }, 'invalid_request'],
        [{ limit: 10_001, dryRun: false }, 'invalid_request'],
        [{ dryRun: 'no' }, 'invalid_request'],
        [{ from: 'yesterday', dryRun: false }, 'invalid_request'],
        [{ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z', dryRun: false }, 'invalid_request'],
        [{ from: '2030-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', dryRun: false }, 'invalid_request'],
        [{ offerId: -1, dryRun: false }, 'invalid_request'],
        [{ postbackConfigId: '1', dryRun: false }, 'invalid_request'],
        ['{"dryRun": false', 'invalid_json'],
      ];
      for (const [body, code] of cases) {
        const response = await call(app, 'POST', '/api/v1/postback-deliveries/replay', {
          token: world.affiliate.accessToken,
          ...(typeof body === 'string' ? { rawBody: body } : { body }),
        });
        expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([400, code]);
      }
      expect((await deliveriesOf(handle.db, world.postback.id)).map((d) => d.state)).toEqual(['failed']);
    } finally {
      await endpoint.close();
    }
  });
});
