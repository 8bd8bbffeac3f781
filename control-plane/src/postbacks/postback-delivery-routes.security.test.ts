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

describe.each(testDatabases)('/api/v1/postback-deliveries access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let endpoint: Awaited<ReturnType<typeof startAffiliateEndpoint>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    endpoint = await startAffiliateEndpoint();
  });
  afterAll(async () => {
    await endpoint.close();
    await handle.close();
  });

  it("keeps an affiliate's deliveries and their replay to that affiliate and admins", async () => {
    const world = await postbackWorld(app, handle.db, { url: `${endpoint.url}/x` });
    await ingest(app, (await conversionBatch(world.affiliate, world.offer.id)).events);
    const owned = await call(app, 'GET', '/api/v1/postback-deliveries', {
      token: world.affiliate.accessToken,
    });
    const [delivery] = ((await owned.json()) as { data: { id: string }[] }).data;
    expect(delivery).toBeDefined();

    const other = await signUp(app, 'affiliate');
    const routes = [
      ['GET', '/api/v1/postback-deliveries'],
      ['GET', `/api/v1/postback-deliveries/${delivery?.id}/attempts`],
      ['POST', `/api/v1/postback-deliveries/${delivery?.id}/replay`],
    ] as const;
    endpoint.received.length = 0;
    for (const [method, path] of routes) {
      expect((await call(app, method, path)).status, `${method} ${path}`).toBe(401);
      const byAdvertiser = await call(app, method, path, { token: world.advertiser.accessToken });
      expect([byAdvertiser.status, await errorCode(byAdvertiser)], path).toEqual([403, 'forbidden']);
      if (path.includes(delivery?.id ?? '-')) {
        const byOther = await call(app, method, path, { token: other.accessToken });
        expect([byOther.status, await errorCode(byOther)], `${method} ${path}`).toEqual([404, 'not_found']);
      }
    }
    expect(endpoint.received).toEqual([]);
    const othersList = await call(app, 'GET', '/api/v1/postback-deliveries', { token: other.accessToken });
    expect(((await othersList.json()) as { data: unknown[] }).data).toEqual([]);

    // Admins see and replay any affiliate's deliveries.
    const byAdmin = await call(app, 'POST', `/api/v1/postback-deliveries/${delivery?.id}/replay`, {
      token: world.admin.accessToken,
    });
    expect(await byAdmin.json()).toMatchObject({ kind: 'replay', ok: true });
    expect(endpoint.received).toHaveLength(1);
  });

  it("keeps bulk replay to the caller's own deliveries: others' are not counted, advertisers may not", async () => {
    const world = await postbackWorld(app, handle.db, { url: `${endpoint.url}/bulk` });
    await ingest(app, (await conversionBatch(world.affiliate, world.offer.id)).events);
    await setDeliveryState(handle.db, world.postback.id, 'failed');
    const path = '/api/v1/postback-deliveries/replay';
    const aimed = { affiliateId: world.affiliate.affiliateId, postbackConfigId: world.postback.id };
    const apply = { ...aimed, dryRun: false };

    expect((await call(app, 'POST', path, { body: apply })).status).toBe(401);
    const byAdvertiser = await call(app, 'POST', path, { token: world.advertiser.accessToken, body: apply });
    expect([byAdvertiser.status, await errorCode(byAdvertiser)]).toEqual([403, 'forbidden']);
    const readKey = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: world.affiliate.accessToken,
        body: { name: 'read only', scopes: ['postbacks:read'] },
      })
    ).json()) as { key: string };
    const byReadKey = await call(app, 'POST', path, { token: readKey.key, body: apply });
    expect([byReadKey.status, await errorCode(byReadKey)]).toEqual([403, 'forbidden']);

    // Another affiliate aiming at them, or at everything, finds nothing of theirs.
    const other = await signUp(app, 'affiliate');
    // (One applied replay a minute per affiliate: the other calls are dry runs.)
    for (const body of [{ dryRun: false }, aimed, { ...aimed, states: ['failed', 'disabled'] }, {}]) {
      const byOther = await call(app, 'POST', path, { token: other.accessToken, body });
      expect(await byOther.json(), JSON.stringify(body)).toMatchObject({ count: 0, inactiveConfigs: 0 });
    }
    expect((await deliveriesOf(handle.db, world.postback.id)).map((d) => d.state)).toEqual(['failed']);

    const byAdmin = await call(app, 'POST', path, { token: world.admin.accessToken, body: aimed });
    expect(await byAdmin.json()).toMatchObject({ dryRun: true, count: 1 });
    const byOwner = await call(app, 'POST', path, { token: world.affiliate.accessToken, body: apply });
    expect(await byOwner.json()).toMatchObject({ dryRun: false, count: 1 });
    expect((await deliveriesOf(handle.db, world.postback.id)).map((d) => d.state)).toEqual(['pending']);
  });

  it('lets only admins replay delivered postbacks in bulk', async () => {
    const world = await postbackWorld(app, handle.db, { url: `${endpoint.url}/delivered` });
    await ingest(app, (await conversionBatch(world.affiliate, world.offer.id)).events);
    await setDeliveryState(handle.db, world.postback.id, 'delivered');
    const path = '/api/v1/postback-deliveries/replay';
    for (const body of [
      { states: ['delivered'], dryRun: false },
      { states: ['delivered'] },
      { states: ['failed', 'disabled', 'delivered'], postbackConfigId: world.postback.id, dryRun: false },
    ]) {
      const response = await call(app, 'POST', path, { token: world.affiliate.accessToken, body });
      expect(response.status, JSON.stringify(body)).toBe(403);
      expect(await response.json()).toMatchObject({
        error: { code: 'forbidden', message: expect.stringMatching(/^Only admins may replay delivered/) },
      });
    }
    expect((await deliveriesOf(handle.db, world.postback.id)).map((d) => d.state)).toEqual(['delivered']);
    // Failed and parked ones stay the affiliate's to replay (nothing of those here).
    const own = await call(app, 'POST', path, {
      token: world.affiliate.accessToken,
      body: { states: ['failed', 'disabled'], dryRun: false },
    });
    expect(await own.json()).toMatchObject({ dryRun: false, count: 0 });
    const byAdmin = await call(app, 'POST', path, {
      token: world.admin.accessToken,
      body: { states: ['delivered'], postbackConfigId: world.postback.id, dryRun: false },
    });
    expect(await byAdmin.json()).toMatchObject({ dryRun: false, count: 1 });
    expect((await deliveriesOf(handle.db, world.postback.id)).map((d) => d.state)).toEqual(['pending']);
  });
});
