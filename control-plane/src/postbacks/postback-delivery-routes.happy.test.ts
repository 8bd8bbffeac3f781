import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAffiliateEndpoint } from '../../test/affiliate-endpoint.ts';
import { call, type Session, type TestApp } from '../../test/api-client.ts';
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
import { postbackDeliveries } from '../db/schema/postback-configs.ts';
import { processDueDeliveries } from './postback-outbox.ts';

// After the real clock: deliveries are created at now(), the app and the worker run at T0.
const T0 = new Date('2030-01-01T12:00:00Z');
const outbound = { allowPrivateNetworks: true };

async function replay(app: TestApp, session: Session, body: Record<string, unknown>) {
  const response = await call(app, 'POST', '/api/v1/postback-deliveries/replay', {
    token: session.accessToken,
    body,
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}

describe.each(testDatabases)('/api/v1/postback-deliveries/replay on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: TestApp;
  let endpoint: Awaited<ReturnType<typeof startAffiliateEndpoint>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { now: () => T0 });
    endpoint = await startAffiliateEndpoint();
  });
  afterAll(async () => {
    await endpoint.close();
    await handle.close();
  });

  /** An affiliate with a config and `n` conversions whose deliveries are in `state`. */
  async function deliveriesIn(state: 'failed' | 'disabled' | 'delivered', n: number) {
    const world = await postbackWorld(app, handle.db, { url: `${endpoint.url}/bulk?c={conversion_id}` });
    const batches = await Promise.all(
      Array.from({ length: n }, () => conversionBatch(world.affiliate, world.offer.id)),
    );
    await ingest(
      app,
      batches.flatMap((b) => b.events),
    );
    await setDeliveryState(handle.db, world.postback.id, state);
    return world;
  }

  it('counts on a dry run, then queues given-up and parked deliveries due now with a fresh retry budget', async () => {
    const world = await deliveriesIn('failed', 2);
    const parked = await deliveriesIn('disabled', 1);
    // A delivered one is not replayed unless asked for.
    const done = await postbackWorld(app, handle.db, { url: `${endpoint.url}/done` });
    await ingest(app, (await conversionBatch(done.affiliate, done.offer.id)).events);
    await setDeliveryState(handle.db, done.postback.id, 'delivered');

    expect(await replay(app, world.affiliate, {})).toEqual({
      dryRun: true,
      count: 2,
      limit: 10_000,
      moreMatched: false,
      inactiveConfigs: 0,
      skippedStatusChanged: 0,
    });
    expect((await deliveriesOf(handle.db, world.postback.id)).map((d) => d.state)).toEqual([
      'failed',
      'failed',
    ]);

    expect(await replay(app, world.affiliate, { dryRun: false })).toMatchObject({ dryRun: false, count: 2 });
    expect(await deliveriesOf(handle.db, world.postback.id)).toEqual([
      expect.objectContaining({ state: 'pending', attempts: 0, nextAttemptAt: T0, lastError: 'HTTP 500' }),
      expect.objectContaining({ state: 'pending', attempts: 0, nextAttemptAt: T0, lastError: 'HTTP 500' }),
    ]);
    endpoint.received.length = 0;
    await processDueDeliveries({ db: handle.db, outboundPolicy: outbound }, T0);
    const sent = await deliveriesOf(handle.db, world.postback.id);
    expect(sent.map((d) => [d.state, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
    ]);
    expect(endpoint.received.map((r) => r.headers['x-tas-delivery-id']).sort()).toEqual(
      sent.map((d) => d.id).sort(),
    );
    expect(await replay(app, world.affiliate, {})).toMatchObject({ count: 0 });

    // An admin replays anyone's: the parked one, and a delivered one when asked to.
    expect(await replay(app, world.admin, { postbackConfigId: parked.postback.id })).toMatchObject({
      count: 1,
    });
    expect(
      await replay(app, world.admin, {
        states: ['delivered'],
        affiliateId: done.affiliate.affiliateId,
        dryRun: false,
      }),
    ).toMatchObject({ count: 1 });
    expect((await deliveriesOf(handle.db, done.postback.id))[0]).toMatchObject({
      state: 'pending',
      attempts: 0,
    });
  });

  it('filters by config, affiliate, offer and creation time, and says when more matched than the limit', async () => {
    const one = await deliveriesIn('failed', 3);
    const two = await deliveriesIn('failed', 2);
    const [old] = await deliveriesOf(handle.db, two.postback.id);
    await handle.db
      .update(postbackDeliveries)
      .set({ createdAt: new Date('2020-06-01T00:00:00Z') })
      .where(eq(postbackDeliveries.id, old!.id));
    const admin = one.admin;
    const count = async (body: Record<string, unknown>) =>
      ((await replay(app, admin, body)) as { count: number }).count;
    expect(await count({ postbackConfigId: one.postback.id })).toBe(3);
    expect(await count({ affiliateId: two.affiliate.affiliateId })).toBe(2);
    expect(await count({ offerId: two.offer.id })).toBe(2);
    expect(await count({ offerId: two.offer.id, postbackConfigId: one.postback.id })).toBe(0);
    expect(await count({ offerId: two.offer.id, to: '2021-01-01T00:00:00Z' })).toBe(1);
    expect(await count({ offerId: two.offer.id, from: '2021-01-01T00:00:00Z' })).toBe(1);
    expect(await count({ offerId: two.offer.id, states: ['delivered'] })).toBe(0);

    // Oldest first, at most `limit`; the next call takes up the rest.
    const page = { affiliateId: one.affiliate.affiliateId, limit: 2, dryRun: false };
    expect(await replay(app, admin, page)).toEqual({
      dryRun: false,
      count: 2,
      limit: 2,
      moreMatched: true,
      inactiveConfigs: 0,
      skippedStatusChanged: 0,
    });
    const [first, second, third] = await deliveriesOf(handle.db, one.postback.id);
    expect([first?.state, second?.state, third?.state]).toEqual(['pending', 'pending', 'failed']);
    expect(await replay(app, admin, page)).toMatchObject({ count: 1, moreMatched: false });
    expect((await deliveriesOf(handle.db, two.postback.id)).map((d) => d.state)).toEqual([
      'failed',
      'failed',
    ]);
  });

  it('leaves the deliveries of a config that is off alone, and counts them', async () => {
    const world = await deliveriesIn('disabled', 2);
    await call(app, 'PATCH', `/api/v1/postback-configs/${world.postback.id}`, {
      token: world.affiliate.accessToken,
      body: { isActive: false },
    });
    expect(await replay(app, world.affiliate, { dryRun: false })).toEqual({
      dryRun: false,
      count: 0,
      limit: 10_000,
      moreMatched: false,
      inactiveConfigs: 2,
      skippedStatusChanged: 0,
    });
    expect((await deliveriesOf(handle.db, world.postback.id)).map((d) => d.state)).toEqual([
      'disabled',
      'disabled',
    ]);
  });
});
