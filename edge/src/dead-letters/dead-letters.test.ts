import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from 'cloudflare:test';
import { signBody } from '@tas/shared/signature';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clickEventFixture, EDGE } from '../../test/fixtures.ts';
import { captureIngest } from '../../test/ingest-capture.ts';
import { TEST_SECRETS } from '../../test/test-secrets.ts';
import worker from '../index.ts';

const event = (n: number) => clickEventFixture(n, 'D');

async function operator(path: string) {
  const body = '{}';
  return SELF.fetch(`${EDGE}/internal/dead-letters/${path}`, {
    method: 'POST',
    headers: {
      'x-tas-signature': await signBody(
        TEST_SECRETS.CONFIG_SIGNING_SECRET,
        `/internal/dead-letters/${path}`,
        body,
      ),
    },
    body,
  });
}

describe('dead letters', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('keeps events the control plane refused after all retries, and replays them when it is back', async () => {
    ingest.failWith(503);
    const messages = [1, 2, 3].map((n) => ({
      id: `dl-${n}`,
      timestamp: new Date(),
      attempts: 11,
      body: { events: [event(n)] },
    }));
    const batch = createMessageBatch('tas-events-dlq', [
      ...messages,
      { id: 'dl-bad', timestamp: new Date(), attempts: 11, body: { nope: true } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.ackAll).toBe(true);
    expect(await (await operator('count')).json()).toEqual({ stored: 4 });

    // Still down: the replay is refused and nothing is lost.
    expect((await operator('replay')).status).toBe(503);
    expect(await (await operator('count')).json()).toEqual({ stored: 4 });

    ingest.failWith(200);
    expect(await (await operator('replay')).json()).toEqual({
      replayed: 3,
      failed: [{ messageId: 'dl-bad', failure: 'not an event envelope' }],
      remaining: 1,
    });
    expect(
      ingest
        .events()
        .map((e) => e.id)
        .sort(),
    ).toEqual([event(1).id, event(2).id, event(3).id]);
  });

  it('delivers straight away when the control plane answers again by the time the letters arrive', async () => {
    const batch = createMessageBatch('tas-events-dlq', [
      { id: 'dl-9', timestamp: new Date(), attempts: 11, body: { events: [event(9)] } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect(ingest.events().map((e) => e.id)).toEqual([event(9).id]);
  });

  it('replays letters in requests within the ingest limits, and one failing letter blocks no other', async () => {
    const count = async () => ((await (await operator('count')).json()) as { stored: number }).stored;
    const before = await count();
    ingest.failWith(503);
    // 12 letters of 500 events: 6,000 events, more than one ingest request may carry.
    const letters = Array.from({ length: 12 }, (_, m) => ({
      id: `big-${m}`,
      timestamp: new Date(),
      attempts: 11,
      body: { events: Array.from({ length: 500 }, (_, i) => clickEventFixture(m * 500 + i, 'L')) },
    }));
    const poison = clickEventFixture(7777, 'L');
    letters.push({ id: 'poison', timestamp: new Date(), attempts: 11, body: { events: [poison] } });
    const batch = createMessageBatch('tas-events-dlq', letters);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await getQueueResult(batch, ctx);
    expect(await count()).toBe(before + 13);

    ingest.failWith(200);
    ingest.failWhen((e) => (e as { id?: string }).id === poison.id);
    const replay = (await (await operator('replay')).json()) as {
      replayed: number;
      failed: { messageId: string }[];
    };
    expect(replay.replayed).toBe(12);
    expect(replay.failed.map((f) => f.messageId)).toContain('poison');
    expect(Math.max(...ingest.requests)).toBeLessThanOrEqual(5000);
    expect(ingest.events().filter((e) => e.id.startsWith('L'))).toHaveLength(6000);
    expect(await count()).toBe(before + 1);
  });

  it('refuses unsigned operator requests', async () => {
    expect(
      (await SELF.fetch(`${EDGE}/internal/dead-letters/replay`, { method: 'POST', body: '{}' })).status,
    ).toBe(401);
  });
});
