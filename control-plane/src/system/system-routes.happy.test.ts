import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, type Session } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { acceptingEdge } from '../../test/fixtures.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { createAffiliate } from '../affiliates/affiliate-service.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { ingestMinutes } from '../db/schema/ingest-minutes.ts';
import { ingestQuarantine } from '../db/schema/ingest-quarantine.ts';
import { postbackConfigs, postbackDeliveries } from '../db/schema/postback-configs.ts';

const NOW = new Date('2026-11-29T12:00:30.000Z');
const at = (time: string) => new Date(`2026-11-29T${time}Z`);

describe.each(testDatabases)('/api/v1/system on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let recorder: Awaited<ReturnType<typeof startEdgeRecorder>>;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  beforeAll(async () => {
    handle = await open();
    recorder = await startEdgeRecorder();
    app = testApp(handle.db, { edge: recorder.edge, now: () => NOW });
    admin = await adminSession(app, handle.db);
  });
  afterAll(async () => {
    await recorder.close();
    await handle.close();
  });

  it('reports the ingest rate by minute, the lag, the outbox and the quarantine', async () => {
    const empty = await call(app, 'GET', '/api/v1/system/status?minutes=5', { token: admin.accessToken });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({
      windowMinutes: 5,
      ingest: { clicks: 0, conversions: 0, lastReceivedAt: null },
      lag: { samples: 0, p50Seconds: null, p95Seconds: null, maxSeconds: null },
      postbacks: { pending: 0, dueNow: 0, failed: 0, disabled: 0, oldestDueAt: null },
      quarantine: { waiting: 0, oldestReceivedAt: null },
    });

    // What the ingest recorded (ingest-events.test.ts shows it writes these): events stored
    // with lags of 10 s (a conversion), 2, 4 and 1 s (clicks), one of them on another shard.
    const minute = (
      time: string,
      shard: number,
      lagBucket: number,
      counts: { clicks?: number; conversions?: number },
      maxLagSeconds: number,
      last: string,
    ) => ({
      minute: at(time),
      shard,
      lagBucket,
      clicks: counts.clicks ?? 0,
      conversions: counts.conversions ?? 0,
      maxLagSeconds,
      lastReceivedAt: at(last),
    });
    await handle.db.insert(ingestMinutes).values([
      minute('11:58:00', 0, 6, { conversions: 1 }, 10, '11:58:00'),
      minute('11:59:00', 0, 3, { clicks: 1 }, 2, '11:59:10'),
      minute('11:59:00', 5, 4, { clicks: 1 }, 4, '11:59:40'),
      minute('12:00:00', 0, 2, { clicks: 1 }, 1, '12:00:05'),
      // Before the window: counted nowhere.
      minute('11:30:00', 0, 2, { clicks: 1 }, 1, '11:30:01'),
    ]);
    const affiliate = await createAffiliate({ db: handle.db, edge: acceptingEdge }, { companyName: 'A' });
    const [config] = await handle.db
      .insert(postbackConfigs)
      .values({ affiliateId: affiliate.id, url: 'https://aff.test/pb' })
      .returning();
    const delivery = (state: 'pending' | 'failed' | 'disabled' | 'delivered', next: string) => ({
      conversionId: crypto.randomUUID(),
      postbackConfigId: config!.id,
      affiliateId: affiliate.id,
      trigger: 'approved' as const,
      state,
      nextAttemptAt: at(next),
    });
    await handle.db
      .insert(postbackDeliveries)
      .values([
        delivery('pending', '11:50:00'),
        delivery('pending', '12:10:00'),
        delivery('failed', '11:00:00'),
        delivery('disabled', '11:00:00'),
        delivery('delivered', '11:00:00'),
      ]);
    await handle.db.insert(ingestQuarantine).values([
      { reasonCode: 'invalid_event', reason: 'bad', body: '{}', bodySha256: 'a', receivedAt: at('10:00:00') },
      {
        reasonCode: 'invalid_event',
        reason: 'bad',
        body: '{"x":1}',
        bodySha256: 'b',
        receivedAt: at('11:00:00'),
      },
      {
        reasonCode: 'invalid_event',
        reason: 'bad',
        body: '{"x":2}',
        bodySha256: 'c',
        receivedAt: at('09:00:00'),
        replayedAt: at('09:30:00'),
      },
    ]);

    const response = await call(app, 'GET', '/api/v1/system/status?minutes=5', { token: admin.accessToken });
    const status = (await response.json()) as {
      ingest: { perMinute: { minute: string; clicks: number; conversions: number }[] };
    };
    expect(status).toMatchObject({
      generatedAt: NOW.toISOString(),
      windowMinutes: 5,
      ingest: { clicks: 3, conversions: 1, lastReceivedAt: at('12:00:05').toISOString() },
      // Lags 1, 2, 4 and 10 seconds: half within the bucket up to 3 s, 95% within the largest.
      lag: { samples: 4, p50Seconds: 3, p95Seconds: 10, maxSeconds: 10 },
      postbacks: {
        pending: 2,
        dueNow: 1,
        failed: 1,
        disabled: 1,
        oldestDueAt: at('11:50:00').toISOString(),
      },
      quarantine: { waiting: 2, oldestReceivedAt: at('10:00:00').toISOString() },
    });
    expect(status.ingest.perMinute).toEqual([
      { minute: at('11:56:00').toISOString(), clicks: 0, conversions: 0 },
      { minute: at('11:57:00').toISOString(), clicks: 0, conversions: 0 },
      { minute: at('11:58:00').toISOString(), clicks: 0, conversions: 1 },
      { minute: at('11:59:00').toISOString(), clicks: 2, conversions: 0 },
      { minute: at('12:00:00').toISOString(), clicks: 1, conversions: 0 },
    ]);
  });

  it("counts and replays the edge's dead letters, naming those that fail again", async () => {
    recorder.storeDeadLetters(3, [{ messageId: 'm-bad', failure: 'HTTP 400: not a batch' }]);
    const counted = await call(app, 'GET', '/api/v1/system/dead-letters', { token: admin.accessToken });
    expect([counted.status, await counted.json()]).toEqual([200, { stored: 4 }]);

    const replayed = await call(app, 'POST', '/api/v1/system/dead-letters/replay', {
      token: admin.accessToken,
    });
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toEqual({
      replayed: 3,
      failed: [{ messageId: 'm-bad', failure: 'HTTP 400: not a batch' }],
      remaining: 1,
    });
    // Nothing went through: the edge says so with a 503 and its usual answer, shown as such.
    const again = await call(app, 'POST', '/api/v1/system/dead-letters/replay', { token: admin.accessToken });
    expect([again.status, await again.json()]).toEqual([
      200,
      { replayed: 0, failed: [{ messageId: 'm-bad', failure: 'HTTP 400: not a batch' }], remaining: 1 },
    ]);
    expect(recorder.deadLetterCalls).toEqual([
      '/internal/dead-letters/count',
      '/internal/dead-letters/replay',
      '/internal/dead-letters/replay',
    ]);
  });
});
