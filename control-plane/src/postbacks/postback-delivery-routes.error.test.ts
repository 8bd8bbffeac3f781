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

  it('limits an affiliate to one applied bulk replay a minute, with Retry-After; dry runs and admins are not limited', async () => {
    const endpoint = await startAffiliateEndpoint();
    try {
      let clock = new Date('2030-01-01T12:00:00Z');
      const timed = testApp(handle.db, { now: () => clock });
      const world = await postbackWorld(timed, handle.db, { url: `${endpoint.url}/x` });
      await ingest(timed, (await conversionBatch(world.affiliate, world.offer.id)).events);
      await setDeliveryState(handle.db, world.postback.id, 'failed');
      const replay = (token: string, body: Record<string, unknown>) =>
        call(timed, 'POST', '/api/v1/postback-deliveries/replay', { token, body });
      const apply = { dryRun: false };

      expect(await (await replay(world.affiliate.accessToken, apply)).json()).toMatchObject({ count: 1 });
      await setDeliveryState(handle.db, world.postback.id, 'failed');
      const again = await replay(world.affiliate.accessToken, apply);
      expect([again.status, await errorCode(again.clone())]).toEqual([429, 'rate_limited']);
      expect(again.headers.get('retry-after')).toBe('60');
      expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(
        /try again in 60 s/,
      );
      // Through an API key of the same affiliate too.
      const key = (await (
        await call(timed, 'POST', '/api/v1/api-keys', {
          token: world.affiliate.accessToken,
          body: { name: 'replays', scopes: ['postbacks:read', 'postbacks:write'] },
        })
      ).json()) as { key: string };
      expect((await replay(key.key, apply)).status).toBe(429);
      expect((await deliveriesOf(handle.db, world.postback.id)).map((d) => d.state)).toEqual(['failed']);

      // A dry run still answers; another affiliate and the admin are not held up.
      expect(await (await replay(world.affiliate.accessToken, {})).json()).toMatchObject({ count: 1 });
      const other = await signUp(timed, 'affiliate');
      expect((await replay(other.accessToken, apply)).status).toBe(200);
      for (let i = 0; i < 2; i++)
        expect((await replay(world.admin.accessToken, { limit: 1 })).status).toBe(200);

      clock = new Date(clock.getTime() + 45_000);
      const later = await replay(world.affiliate.accessToken, apply);
      expect([later.status, later.headers.get('retry-after')]).toEqual([429, '15']);
      clock = new Date(clock.getTime() + 15_000);
      expect(await (await replay(world.affiliate.accessToken, apply)).json()).toMatchObject({ count: 1 });
      expect((await deliveriesOf(handle.db, world.postback.id)).map((d) => d.state)).toEqual(['pending']);
    } finally {
      await endpoint.close();
    }
  });
});
