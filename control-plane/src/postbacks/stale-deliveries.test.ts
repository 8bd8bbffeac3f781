import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAffiliateEndpoint } from '../../test/affiliate-endpoint.ts';
import { call, errorCode, type Session, type TestApp } from '../../test/api-client.ts';
import { conversionBatch, deliveriesOf, ingest, postbackWorld } from '../../test/postback-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { postbackDeliveries } from '../db/schema/postback-configs.ts';
import { processDueDeliveries } from './postback-outbox.ts';

// After the real clock: rows are queued due at now(), and the worker is driven at T0 and later.
const T0 = new Date('2030-01-01T12:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const outbound = { allowPrivateNetworks: true };

type DeliveryView = { id: string; state: string; cancelReason: string | null; lastError: string | null };
type AttemptView = { kind: string; ok: boolean; statusCode: number | null; error: string | null };

/*
 * A postback is owed for the status that fired it (approved, or pending by setting). A retry or a
 * replay must describe the conversion as it is when it is sent: once the conversion has left that
 * status (rejected, reversed, approved after pending), the delivery is not sent but cancelled, and
 * says why.
 */
describe.each(testDatabases)('postbacks of a conversion whose status changed, on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: TestApp;
  let endpoint: Awaited<ReturnType<typeof startAffiliateEndpoint>>;
  // Each test drives the worker later than the one before: earlier tests' retries are long due.
  let clock = 0;
  const tick = () => {
    clock += 10_000_000;
    return later(clock);
  };
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { now: () => T0 });
    endpoint = await startAffiliateEndpoint();
  });
  afterAll(async () => {
    await endpoint.close();
    await handle.close();
  });

  const work = (at: Date) => processDueDeliveries({ db: handle.db, outboundPolicy: outbound }, at);
  const receivedAt = (path: string) => endpoint.received.filter((r) => r.url.startsWith(`/${path}?`));

  async function change(admin: Session, action: string, conversionId: string, extra: object = {}) {
    const response = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: admin.accessToken,
      body: { action, conversionIds: [conversionId], dryRun: false, ...extra },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toMatchObject({ changed: 1 });
  }

  async function listed(session: Session, configId: number): Promise<DeliveryView[]> {
    const response = await call(app, 'GET', `/api/v1/postback-deliveries?postbackConfigId=${configId}`, {
      token: session.accessToken,
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: DeliveryView[] }).data;
  }

  async function attemptsOf(session: Session, deliveryId: string): Promise<AttemptView[]> {
    const response = await call(app, 'GET', `/api/v1/postback-deliveries/${deliveryId}/attempts`, {
      token: session.accessToken,
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: AttemptView[] }).data;
  }

  it('does not retry an approved postback once the conversion is reversed: cancelled, with the reason', async () => {
    const world = await postbackWorld(app, handle.db, {
      url: `${endpoint.url}/rev?st={status}&p={payout}&cid={conversion_id}`,
    });
    const batch = await conversionBatch(world.affiliate, world.offer.id);
    await ingest(app, batch.events);

    endpoint.respondWith([500]);
    try {
      await work(tick());
    } finally {
      endpoint.respondWith([200]);
    }
    expect(receivedAt('rev')).toHaveLength(1);
    const [queued] = await deliveriesOf(handle.db, world.postback.id);
    expect(queued).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP 500' });

    // A chargeback before the retry is due.
    await change(world.admin, 'reverse', batch.conversion.id, { reason: 'chargeback' });
    await work(tick());
    await work(tick());

    // Nothing more reached the receiver: it was never told approved again.
    expect(receivedAt('rev').map((r) => r.url)).toEqual([
      `/rev?st=approved&p=15.00&cid=${batch.conversion.id}`,
    ]);
    const [cancelled] = await listed(world.affiliate, world.postback.id);
    expect(cancelled).toMatchObject({
      id: queued?.id,
      state: 'cancelled',
      cancelReason: 'conversion_rejected',
      lastError: expect.stringContaining('rejected'),
    });
    // The attempt log says it was not sent, and why; the failed request stays logged below it.
    expect(await attemptsOf(world.affiliate, queued!.id)).toEqual([
      expect.objectContaining({
        kind: 'cancelled',
        ok: false,
        statusCode: null,
        error: expect.stringContaining('conversion_rejected'),
      }),
      expect.objectContaining({ kind: 'delivery', ok: false, statusCode: 500 }),
    ]);
    // Not sent is not a failure of the affiliate's endpoint.
    const config = await call(app, 'GET', `/api/v1/postback-configs/${world.postback.id}`, {
      token: world.affiliate.accessToken,
    });
    expect(await config.json()).toMatchObject({ isActive: true, consecutiveFailures: 1 });
  });

  it('answers a replay of an approved postback of a rejected conversion with 409, and sends nothing', async () => {
    const world = await postbackWorld(app, handle.db, { url: `${endpoint.url}/rep?st={status}` });
    const batch = await conversionBatch(world.affiliate, world.offer.id);
    await ingest(app, batch.events);
    await work(tick());
    const [delivered] = await deliveriesOf(handle.db, world.postback.id);
    expect(delivered).toMatchObject({ state: 'delivered' });

    await change(world.admin, 'reject', batch.conversion.id);
    for (const session of [world.affiliate, world.admin]) {
      const replayed = await call(app, 'POST', `/api/v1/postback-deliveries/${delivered?.id}/replay`, {
        token: session.accessToken,
      });
      expect(replayed.status).toBe(409);
      const body = (await replayed.json()) as { error: { code: string; message: string; requestId: string } };
      expect(body.error).toMatchObject({
        code: 'conversion_status_changed',
        message: expect.stringMatching(/approved.*rejected/),
        requestId: expect.any(String),
      });
    }
    expect(receivedAt('rep').map((r) => r.url)).toEqual(['/rep?st=approved']);
    // It was delivered when it was owed: that stays its record.
    const [after] = await listed(world.affiliate, world.postback.id);
    expect(after).toMatchObject({ state: 'delivered', cancelReason: null });
  });

  it('has bulk replay skip, and count, deliveries whose conversion no longer has their status', async () => {
    const world = await postbackWorld(app, handle.db, { url: `${endpoint.url}/bulk?cid={conversion_id}` });
    const kept = await conversionBatch(world.affiliate, world.offer.id);
    const reversed = await conversionBatch(world.affiliate, world.offer.id);
    const legacy = await conversionBatch(world.affiliate, world.offer.id);
    await ingest(app, [...kept.events, ...reversed.events, ...legacy.events]);
    await work(tick());
    expect(receivedAt('bulk')).toHaveLength(3);
    await change(world.admin, 'reverse', reversed.conversion.id, { reason: 'refund' });
    await change(world.admin, 'reject', legacy.conversion.id);
    // A given-up delivery of a conversion rejected since, as one queued before cancelling existed.
    const [stale] = await handle.db
      .update(postbackDeliveries)
      .set({ state: 'failed', cancelReason: null })
      .where(eq(postbackDeliveries.conversionId, legacy.conversion.id))
      .returning();

    const request = { states: ['delivered', 'failed'], postbackConfigId: world.postback.id };
    const dry = await call(app, 'POST', '/api/v1/postback-deliveries/replay', {
      token: world.admin.accessToken,
      body: request,
    });
    expect(await dry.json()).toEqual({
      dryRun: true,
      count: 1,
      limit: 10_000,
      moreMatched: false,
      inactiveConfigs: 0,
      skippedStatusChanged: 2,
    });
    const applied = await call(app, 'POST', '/api/v1/postback-deliveries/replay', {
      token: world.admin.accessToken,
      body: { ...request, dryRun: false },
    });
    expect(await applied.json()).toMatchObject({ dryRun: false, count: 1, skippedStatusChanged: 2 });
    await work(tick());
    expect(
      receivedAt('bulk')
        .map((r) => r.url)
        .slice(3),
    ).toEqual([`/bulk?cid=${kept.conversion.id}`]);
    const states = Object.fromEntries(
      (await listed(world.affiliate, world.postback.id)).map((d) => [d.id, [d.state, d.cancelReason]]),
    );
    expect(Object.values(states).sort()).toEqual([
      ['cancelled', 'conversion_rejected'],
      ['delivered', null],
      ['delivered', null],
    ]);
    expect(states[stale!.id]).toEqual(['cancelled', 'conversion_rejected']);
  });

  it('owes the approved postback again when the conversion is approved again, at its current payout', async () => {
    const world = await postbackWorld(app, handle.db, {
      url: `${endpoint.url}/again?st={status}&p={payout}`,
    });
    const batch = await conversionBatch(world.affiliate, world.offer.id);
    await ingest(app, batch.events);
    await change(world.admin, 'reject', batch.conversion.id);
    const [cancelled] = await deliveriesOf(handle.db, world.postback.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', cancelReason: 'conversion_rejected' });

    await change(world.admin, 'adjust', batch.conversion.id, { payoutMinor: 1234, reason: 'renegotiated' });
    await change(world.admin, 'approve', batch.conversion.id);
    const [requeued] = await deliveriesOf(handle.db, world.postback.id);
    expect(requeued).toMatchObject({
      id: cancelled?.id,
      state: 'pending',
      attempts: 0,
      cancelReason: null,
      lastError: null,
    });
    await work(tick());
    expect(receivedAt('again').map((r) => r.url)).toEqual(['/again?st=approved&p=12.34']);
  });

  it('sends a pending postback not yet out when the conversion is approved meanwhile as approved only', async () => {
    const world = await postbackWorld(app, handle.db, {
      url: `${endpoint.url}/pend?st={status}`,
      fireOn: 'pending',
    });
    const batch = await conversionBatch(world.affiliate, world.offer.id, { advertiserStatus: 'pending' });
    await ingest(app, batch.events);
    await change(world.admin, 'approve', batch.conversion.id);
    await work(tick());
    // A late "pending" after "approved" would tell the receiver the conversion went back.
    expect(receivedAt('pend').map((r) => r.url)).toEqual(['/pend?st=approved']);
    const byTrigger = Object.fromEntries(
      (await deliveriesOf(handle.db, world.postback.id)).map((d) => [d.trigger, d]),
    );
    expect(byTrigger.pending).toMatchObject({ state: 'cancelled', cancelReason: 'conversion_approved' });
    expect(byTrigger.approved).toMatchObject({ state: 'delivered' });
  });

  it('answers a replay of a postback whose conversion has the status again by sending it', async () => {
    const world = await postbackWorld(app, handle.db, { url: `${endpoint.url}/ok?st={status}` });
    const batch = await conversionBatch(world.affiliate, world.offer.id);
    await ingest(app, batch.events);
    await work(tick());
    const [delivered] = await deliveriesOf(handle.db, world.postback.id);
    const replayed = await call(app, 'POST', `/api/v1/postback-deliveries/${delivered?.id}/replay`, {
      token: world.affiliate.accessToken,
    });
    expect(replayed.status).toBe(200);
    expect(receivedAt('ok').map((r) => r.url)).toEqual(['/ok?st=approved', '/ok?st=approved']);
    expect(
      await errorCode(
        await call(app, 'POST', '/api/v1/postback-deliveries/x/replay', {
          token: world.affiliate.accessToken,
        }),
      ),
    ).toBe('invalid_request');
  });
});
