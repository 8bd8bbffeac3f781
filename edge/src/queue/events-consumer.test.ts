import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clickEventFixture } from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import worker from '../index.ts';
import { deferDelaySeconds } from './requeue-deferred.ts';
import { retryDelaySeconds } from './retry-delay.ts';

const clickEvent = (n: number) => clickEventFixture(n, 'A');

const message = (id: string, body: unknown, attempts = 1) => ({ id, timestamp: new Date(), attempts, body });
const envelope = (...events: ReturnType<typeof clickEvent>[]) => ({ events });

async function deliver(messages: ReturnType<typeof message>[]) {
  const batch = createMessageBatch('tas-events', messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe('events consumer', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('posts a batch as one signed request and acks every message', async () => {
    const result = await deliver([
      message('m1', envelope(clickEvent(1), clickEvent(2))),
      message('m2', envelope(clickEvent(3))),
    ]);
    expect(ingest.batches).toHaveLength(1);
    expect(ingest.events().map((e) => e.id)).toEqual([clickEvent(1).id, clickEvent(2).id, clickEvent(3).id]);
    expect(result.explicitAcks.sort()).toEqual(['m1', 'm2']);
    expect(result.retryMessages).toEqual([]);
  });

  it('retries every message with backoff when the control plane fails', async () => {
    ingest.failWith(503);
    const result = await deliver([
      message('m1', envelope(clickEvent(1)), 1),
      message('m2', envelope(clickEvent(2)), 4),
    ]);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(['m1', 'm2']);
  });

  it('forwards every event of an envelope for the ingest to judge alone, and retries bodies that are not envelopes', async () => {
    const result = await deliver([
      message('bad-event', { events: [{ type: 'click', id: 'nope' }, clickEvent(5)] }),
      message('bare', clickEvent(4)),
      message('ok', envelope(clickEvent(3))),
    ]);
    // The invalid event is quarantined by the ingest; its envelope-mate is stored with the rest.
    expect(ingest.events().map((e) => e.id)).toEqual([clickEvent(5).id, clickEvent(3).id]);
    expect(ingest.quarantined).toEqual([{ type: 'click', id: 'nope' }]);
    expect(result.explicitAcks.sort()).toEqual(['bad-event', 'ok']);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(['bare']);
  });

  it('splits a batch the control plane fails on, so one poison message holds back no other', async () => {
    const poison = clickEvent(66);
    ingest.failWhen((e) => (e as { id?: string }).id === poison.id);
    const result = await deliver([
      message('m1', envelope(clickEvent(61), clickEvent(62))),
      message('m2', envelope(clickEvent(63), poison, clickEvent(64))),
      message('m3', envelope(clickEvent(65))),
      message('m4', envelope(clickEvent(67))),
    ]);
    expect(result.explicitAcks.sort()).toEqual(['m1', 'm3', 'm4']);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(['m2']);
    // Even the poison message's own good events are stored now; it is retried for the rest.
    expect(
      ingest
        .events()
        .map((e) => e.id)
        .sort(),
    ).toEqual([61, 62, 63, 64, 65, 67].map((n) => clickEvent(n).id).sort());
  });

  it('acks a message whose events the ingest held back, and queues those again to be stored later', async () => {
    // A conversion that came before its click, as the ingest sees it; any event will do here.
    const early = clickEventFixture(1, 'D');
    let held = 0;
    ingest.deferWhen((e) => (e as { id?: string }).id === early.id && held++ === 0);
    const result = await deliver([message('d1', envelope(clickEventFixture(2, 'D'), early))]);
    expect(ingest.canDeferAsked).toEqual([true]);
    expect(ingest.deferred).toEqual([early]);
    expect(result.explicitAcks).toEqual(['d1']);
    expect(result.retryMessages).toEqual([]);
    expect(ingest.events().map((e) => e.id)).toEqual([clickEventFixture(2, 'D').id]);
    // Through the real queue, after its delay, to the consumer again: stored this time.
    const stored = await eventually(
      () => ingest.events().filter((e) => e.id === early.id),
      (events) => events.length === 1,
      10_000,
    );
    expect(stored).toEqual([early]);
  });

  it('keeps the message, to be retried whole, when the held-back events cannot be queued again', async () => {
    const early = clickEventFixture(3, 'D');
    ingest.deferWhen((e) => (e as { id?: string }).id === early.id);
    const send = vi.spyOn(env.EVENTS, 'sendBatch').mockRejectedValue(new Error('queue unavailable'));
    try {
      const result = await deliver([
        message('d2', envelope(clickEventFixture(4, 'D'), early)),
        message('d3', envelope(clickEventFixture(5, 'D'))),
      ]);
      expect(send).toHaveBeenCalledTimes(1);
      expect(result.explicitAcks).toEqual(['d3']);
      expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(['d2']);
    } finally {
      send.mockRestore();
      ingest.deferWhen(null);
    }
  });

  it('never sends a request over the ingest limit of 5,000 events', async () => {
    const many = Array.from({ length: 12 }, (_, m) =>
      message(`big-${m}`, envelope(...Array.from({ length: 500 }, (_, i) => clickEvent(1000 + m * 500 + i)))),
    );
    const result = await deliver(many);
    expect(Math.max(...ingest.requests)).toBeLessThanOrEqual(5000);
    expect(ingest.events()).toHaveLength(6000);
    expect(result.explicitAcks).toHaveLength(12);
  });
});

describe('deferDelaySeconds', () => {
  it('tries a conversion of a fresh click again in seconds, one of an old click every minute', () => {
    const now = Date.parse('2026-11-30T12:00:00.000Z');
    const clickedSecondsAgo = (s: number) => ({ clickedAt: new Date(now - s * 1000).toISOString() });
    expect([0, 5, 30, 120, 600, 3600].map((s) => deferDelaySeconds(clickedSecondsAgo(s), now))).toEqual([
      2, 2, 3, 12, 60, 60,
    ]);
    expect(deferDelaySeconds({}, now)).toBe(2);
  });
});

describe('retryDelaySeconds', () => {
  it('doubles with each attempt and stops at five minutes', () => {
    expect([0, 1, 2, 3, 4, 8, 9, 50].map(retryDelaySeconds)).toEqual([2, 2, 4, 8, 16, 256, 300, 300]);
  });
});
