import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAffiliateEndpoint } from '../../test/affiliate-endpoint.ts';
import { call } from '../../test/api-client.ts';
import { PUBLIC_ADDRESS, scriptedResolver } from '../../test/postback-resolver.ts';
import { conversionBatch, ingest, postbackWorld } from '../../test/postback-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { postbackAttempts, postbackConfigs, postbackDeliveries } from '../db/schema/postback-configs.ts';
import type { MailMessage } from '../mail/mailer.ts';
import { processDueDeliveries, retryDelayMs, startPostbackWorker } from './postback-outbox.ts';

// After the real clock: rows are queued due at now(), and the worker is driven at T0 and later.
const T0 = new Date('2030-01-01T12:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const outbound = { allowPrivateNetworks: true };

describe.each(testDatabases)('postback outbox on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
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

  const deliveriesOf = (configId: number) =>
    handle.db.select().from(postbackDeliveries).where(eq(postbackDeliveries.postbackConfigId, configId));

  it('fires once on approval with macros substituted and encoded, even when the batch arrives twice', async () => {
    const world = await postbackWorld(app, handle.db, {
      url: `${endpoint.url}/ok?cid={click_id}&tx={txid}&p={payout}&c={currency}&st={status}&s1={sub1}&o={offer_id}&a={aff_id}`,
    });
    const approved = await conversionBatch(world.affiliate, world.offer.id, { txid: 'A&B 1/é' });
    const pending = await conversionBatch(world.affiliate, world.offer.id, { advertiserStatus: 'pending' });
    const events = [...approved.events, ...pending.events];
    await ingest(app, events);
    await ingest(app, events);
    // Only the approved one is owed: the config fires on approval.
    expect(await deliveriesOf(world.postback.id)).toEqual([
      expect.objectContaining({
        conversionId: approved.conversion.id,
        trigger: 'approved',
        state: 'pending',
      }),
    ]);

    endpoint.received.length = 0;
    expect(await processDueDeliveries({ db: handle.db, outboundPolicy: outbound }, T0)).toEqual({
      claimed: 1,
      delivered: 1,
    });
    expect(await processDueDeliveries({ db: handle.db, outboundPolicy: outbound }, later(3_600_000))).toEqual(
      {
        claimed: 0,
        delivered: 0,
      },
    );
    expect(endpoint.received.map((r) => r.url)).toEqual([
      `/ok?cid=${encodeURIComponent(approved.conversion.clickId)}&tx=A%26B%201%2F%C3%A9&p=15.00&c=USD&st=approved&s1=s1&o=${world.offer.id}&a=${world.affiliate.affiliateId}`,
    ]);
    const [delivery] = await deliveriesOf(world.postback.id);
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 1, deliveredAt: T0 });
    // Receivers can dedupe on the delivery id (delivery is at least once).
    expect(endpoint.received[0]?.headers['x-tas-delivery-id']).toBe(delivery?.id);
    const attempts = await handle.db
      .select()
      .from(postbackAttempts)
      .where(eq(postbackAttempts.deliveryId, delivery!.id));
    expect(attempts).toEqual([
      expect.objectContaining({ kind: 'delivery', ok: true, statusCode: 200, bodyExcerpt: 'OK recorded' }),
    ]);

    // Approving the pending conversion by hand owes its postback, once however often it is approved.
    for (let i = 0; i < 2; i++) {
      const changed = await call(app, 'POST', '/api/v1/conversions/changes', {
        token: world.admin.accessToken,
        body: { action: 'approve', conversionIds: [pending.conversion.id], dryRun: false },
      });
      expect(changed.status).toBe(200);
    }
    await processDueDeliveries({ db: handle.db, outboundPolicy: outbound }, T0);
    expect(endpoint.received).toHaveLength(2);
    expect(endpoint.received[1]?.url).toContain('st=approved');
    expect(await deliveriesOf(world.postback.id)).toHaveLength(2);
  });

  it('fires on pending and again on approval when set to fire on pending', async () => {
    const world = await postbackWorld(app, handle.db, {
      url: `${endpoint.url}/p?st={status}`,
      fireOn: 'pending',
    });
    const batch = await conversionBatch(world.affiliate, world.offer.id, { advertiserStatus: 'pending' });
    await ingest(app, batch.events);
    endpoint.received.length = 0;
    await processDueDeliveries({ db: handle.db, outboundPolicy: outbound }, T0);
    await call(app, 'POST', '/api/v1/conversions/changes', {
      token: world.admin.accessToken,
      body: { action: 'approve', conversionIds: [batch.conversion.id], dryRun: false },
    });
    await processDueDeliveries({ db: handle.db, outboundPolicy: outbound }, T0);
    // (Approved before its pending postback went out, it sends approved only: stale-deliveries.test.ts.)
    expect(endpoint.received.map((r) => r.url)).toEqual(['/p?st=pending', '/p?st=approved']);
  });

  it('retries with exponential backoff after an error status and a timeout', async () => {
    const policy = { baseDelayMs: 1_000, maxDelayMs: 3_000, timeoutMs: 200 };
    const deps = { db: handle.db, outboundPolicy: outbound, policy };
    const slow = await startAffiliateEndpoint([200], { delayMs: 1_000 });
    try {
      const flaky = await postbackWorld(app, handle.db, { url: `${endpoint.url}/flaky` });
      const timingOut = await postbackWorld(app, handle.db, { url: `${slow.url}/slow` });
      await ingest(app, (await conversionBatch(flaky.affiliate, flaky.offer.id)).events);
      await ingest(app, (await conversionBatch(timingOut.affiliate, timingOut.offer.id)).events);

      endpoint.respondWith([500, 200]);
      await processDueDeliveries(deps, T0);
      const [afterError] = await deliveriesOf(flaky.postback.id);
      expect(afterError).toMatchObject({
        state: 'pending',
        attempts: 1,
        lastError: 'HTTP 500',
        nextAttemptAt: later(1_000),
      });
      const [afterTimeout] = await deliveriesOf(timingOut.postback.id);
      expect(afterTimeout).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: later(1_000) });
      expect(afterTimeout?.lastError).toMatch(/TimeoutError/);

      expect((await processDueDeliveries(deps, later(999))).claimed).toBe(0);
      await processDueDeliveries(deps, later(1_000));
      expect((await deliveriesOf(flaky.postback.id))[0]).toMatchObject({ state: 'delivered', attempts: 2 });
      // The second failure waits twice as long.
      expect((await deliveriesOf(timingOut.postback.id))[0]).toMatchObject({
        state: 'pending',
        attempts: 2,
        nextAttemptAt: later(3_000),
      });
      const attempts = await handle.db
        .select()
        .from(postbackAttempts)
        .where(eq(postbackAttempts.postbackConfigId, flaky.postback.id));
      expect(attempts.map((a) => [a.kind, a.statusCode, a.ok])).toEqual([
        ['delivery', 500, false],
        ['delivery', 200, true],
      ]);
      expect(attempts[0]).toMatchObject({ bodyExcerpt: 'error 500', url: `${endpoint.url}/flaky` });
    } finally {
      endpoint.respondWith([200]);
      await slow.close();
    }
    expect(
      [1, 2, 3, 4, 20].map((n) => retryDelayMs(n, { baseDelayMs: 30_000, maxDelayMs: 3_600_000 })),
    ).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000]);
  });

  it('disables a config after repeated failures, tells the affiliate once, and replays by hand', async () => {
    const world = await postbackWorld(app, handle.db, { url: `${endpoint.url}/down` });
    await handle.db
      .update(affiliates)
      .set({ contactEmail: 'ops@aff.example' })
      .where(eq(affiliates.id, world.affiliate.affiliateId!));
    for (let i = 0; i < 2; i++) {
      await ingest(app, (await conversionBatch(world.affiliate, world.offer.id)).events);
    }
    const sent: MailMessage[] = [];
    const deps = {
      db: handle.db,
      outboundPolicy: outbound,
      mailer: { send: async (m: MailMessage) => void sent.push(m) },
      policy: { baseDelayMs: 1_000, disableAfterFailures: 3 },
    };
    endpoint.respondWith([503]);
    try {
      await processDueDeliveries(deps, T0); // two failures
      await processDueDeliveries(deps, later(1_000)); // the third disables; the fourth is not sent
      await processDueDeliveries(deps, later(60_000));
    } finally {
      endpoint.respondWith([200]);
    }
    const [config] = await handle.db
      .select()
      .from(postbackConfigs)
      .where(eq(postbackConfigs.id, world.postback.id));
    // Both deliveries of the second round may be in flight when the third failure disables the config.
    expect(config).toMatchObject({ isActive: false, disabledAt: later(1_000) });
    expect(config?.consecutiveFailures).toBeGreaterThanOrEqual(3);
    expect(config?.disabledReason).toMatch(/3 failed attempts in a row; last: HTTP 503/);
    // (Earlier tests' endpoints fail in this round too: only this affiliate's notices are counted.)
    expect(sent.filter((m) => m.to === 'ops@aff.example')).toEqual([
      expect.objectContaining({ to: 'ops@aff.example', subject: expect.stringContaining('disabled') }),
    ]);
    const deliveries = await deliveriesOf(world.postback.id);
    expect(deliveries.map((d) => d.state)).toEqual(['disabled', 'disabled']);

    // The affiliate sees the notice on its config, and replays a delivery once its endpoint is fixed.
    const seen = await call(app, 'GET', `/api/v1/postback-configs/${world.postback.id}`, {
      token: world.affiliate.accessToken,
    });
    expect(await seen.json()).toMatchObject({
      isActive: false,
      disabledReason: expect.stringContaining('503'),
    });
    const replayed = await call(app, 'POST', `/api/v1/postback-deliveries/${deliveries[0]?.id}/replay`, {
      token: world.affiliate.accessToken,
    });
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toMatchObject({
      kind: 'replay',
      ok: true,
      statusCode: 200,
      deliveryId: deliveries[0]?.id,
    });
    const listed = await call(
      app,
      'GET',
      `/api/v1/postback-deliveries?postbackConfigId=${world.postback.id}`,
      {
        token: world.affiliate.accessToken,
      },
    );
    const data = ((await listed.json()) as { data: { id: string; state: string }[] }).data;
    expect(data.find((d) => d.id === deliveries[0]?.id)?.state).toBe('delivered');
    const attempts = await call(app, 'GET', `/api/v1/postback-deliveries/${deliveries[0]?.id}/attempts`, {
      token: world.affiliate.accessToken,
    });
    expect(((await attempts.json()) as { data: { kind: string }[] }).data.map((a) => a.kind)).toEqual([
      'replay',
      'delivery',
      'delivery',
    ]);

    // Turning the config on again clears its failure streak; the parked delivery is queued again
    // by a bulk replay and sent by the worker, with a fresh retry budget.
    const reenabled = await call(app, 'PATCH', `/api/v1/postback-configs/${world.postback.id}`, {
      token: world.affiliate.accessToken,
      body: { isActive: true },
    });
    expect(await reenabled.json()).toMatchObject({
      isActive: true,
      consecutiveFailures: 0,
      disabledAt: null,
      disabledReason: null,
    });
    const bulk = await call(app, 'POST', '/api/v1/postback-deliveries/replay', {
      token: world.affiliate.accessToken,
      body: { states: ['disabled'], postbackConfigId: world.postback.id, dryRun: false },
    });
    expect(await bulk.json()).toMatchObject({ dryRun: false, count: 1, moreMatched: false });
    expect((await deliveriesOf(world.postback.id)).find((d) => d.id === deliveries[1]?.id)).toMatchObject({
      state: 'pending',
      attempts: 0,
      nextAttemptAt: T0,
    });
    await processDueDeliveries(deps, T0);
    expect((await deliveriesOf(world.postback.id)).map((d) => d.state)).toEqual(['delivered', 'delivered']);
  });

  it('runs in the background until stopped, as the server starts it', async () => {
    const world = await postbackWorld(app, handle.db, { url: `${endpoint.url}/bg` });
    await ingest(app, (await conversionBatch(world.affiliate, world.offer.id)).events);
    const worker = startPostbackWorker({ db: handle.db, outboundPolicy: outbound }, { intervalMs: 20 });
    try {
      await expect
        .poll(async () => (await deliveriesOf(world.postback.id))[0]?.state, { timeout: 5_000 })
        .toBe('delivered');
    } finally {
      await worker.stop();
    }
  });

  it('gives a delivery up after its last attempt, and parks those of a config turned off by hand', async () => {
    const failing = await postbackWorld(app, handle.db, { url: `${endpoint.url}/gone` });
    const off = await postbackWorld(app, handle.db, { url: `${endpoint.url}/off` });
    await ingest(app, (await conversionBatch(failing.affiliate, failing.offer.id)).events);
    await ingest(app, (await conversionBatch(off.affiliate, off.offer.id)).events);
    await call(app, 'PATCH', `/api/v1/postback-configs/${off.postback.id}`, {
      token: off.affiliate.accessToken,
      body: { isActive: false },
    });
    const deps = { db: handle.db, outboundPolicy: outbound, policy: { baseDelayMs: 1_000, maxAttempts: 2 } };
    endpoint.received.length = 0;
    endpoint.respondWith([410]);
    try {
      await processDueDeliveries(deps, later(10_000_000));
      await processDueDeliveries(deps, later(10_001_000));
      expect((await processDueDeliveries(deps, later(20_000_000))).claimed).toBe(0);
    } finally {
      endpoint.respondWith([200]);
    }
    expect((await deliveriesOf(failing.postback.id))[0]).toMatchObject({
      state: 'failed',
      attempts: 2,
      lastError: 'HTTP 410',
    });
    expect((await deliveriesOf(off.postback.id))[0]).toMatchObject({ state: 'disabled', attempts: 0 });
    expect(endpoint.received.filter((r) => r.url.startsWith('/off'))).toEqual([]);
  });

  it('refuses a delivery whose host turns private between a check and the connection, and logs why', async () => {
    // A zero-TTL name: public to the first query, loopback (the local endpoint) to the next.
    const dns = scriptedResolver({ 'rebind.test': [[PUBLIC_ADDRESS], ['127.0.0.1']] });
    const world = await postbackWorld(app, handle.db, { url: `http://rebind.test:${endpoint.port}/rb` });
    await ingest(app, (await conversionBatch(world.affiliate, world.offer.id)).events);
    expect((await dns.resolve('rebind.test'))[0]?.address).toBe(PUBLIC_ADDRESS);
    endpoint.received.length = 0;
    const deps = { db: handle.db, outboundPolicy: { allowPrivateNetworks: false, resolve: dns.resolve } };
    await processDueDeliveries(deps, later(30_000_000));
    const refusal =
      'OutboundAddressError: Refused to connect to rebind.test at 127.0.0.1: not a public address.';
    const [delivery] = await deliveriesOf(world.postback.id);
    expect(delivery).toMatchObject({ state: 'pending', attempts: 1, lastError: refusal });
    const attempts = await handle.db
      .select()
      .from(postbackAttempts)
      .where(eq(postbackAttempts.deliveryId, delivery!.id));
    expect(attempts).toEqual([
      expect.objectContaining({ kind: 'delivery', ok: false, statusCode: null, error: refusal }),
    ]);
    expect(endpoint.received.filter((r) => r.url.startsWith('/rb'))).toEqual([]);
  });
});
