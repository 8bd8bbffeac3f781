import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import type { TrackingEvent } from '@tas/shared/events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clickEventFixture } from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import worker from '../index.ts';
import { enqueueEvent } from './event-batcher.ts';
import { EVENT_QUEUE_BINDINGS, eventQueues, shardOrder } from './event-queues.ts';
import { sendFailuresInIsolate } from './send-failures.ts';

/** Queues that record the envelopes they take; `refusing` ones reject every send. */
function fakeShards(count: number, refusing: number[] = []) {
  const received: string[][][] = Array.from({ length: count }, () => []);
  const queues = received.map((envelopes, shard) => ({
    send: vi.fn(async (body: { events: TrackingEvent[] }) => {
      if (refusing.includes(shard)) throw new Error(`shard ${shard} overloaded`);
      envelopes.push(body.events.map((e) => e.id));
    }),
  }));
  return { queues: queues as unknown as Queue[], received, sends: queues.map((q) => q.send) };
}

/** One envelope per event: each waits for the previous envelope to be sent. */
async function sendEnvelopes(queues: Queue[], events: TrackingEvent[]) {
  for (const event of events) {
    const pending: Promise<unknown>[] = [];
    enqueueEvent(queues, event, (p) => pending.push(p));
    await Promise.all(pending);
  }
}

const clicks = (from: number, count: number, offerId = 1) =>
  Array.from({ length: count }, (_, i) => ({ ...clickEventFixture(from + i, 'Q'), offerId }));

describe('the sharded events queue', () => {
  afterEach(() => vi.restoreAllMocks());

  it('has a producer binding for every shard, EVENTS first', () => {
    expect(EVENT_QUEUE_BINDINGS[0]).toBe('EVENTS');
    const queues = eventQueues(env);
    expect(queues).toHaveLength(EVENT_QUEUE_BINDINGS.length);
    for (const queue of queues) expect(typeof queue.send).toBe('function');
    expect(new Set(queues).size).toBe(queues.length);
  });

  it('tries the next shard of the isolate first, then every other shard once', () => {
    const firsts: number[] = [];
    for (let n = 0; n < 12; n++) {
      const order = shardOrder(4);
      expect([...order].sort()).toEqual([0, 1, 2, 3]);
      firsts.push(order[0]!);
    }
    // Round-robin: consecutive envelopes take consecutive shards.
    for (let n = 1; n < firsts.length; n++) expect(firsts[n]).toBe((firsts[n - 1]! + 1) % 4);
    // The fallbacks start at a random other shard.
    const seconds = new Set(
      Array.from({ length: 60 }, () => shardOrder(4)).map((o) => (o[1]! - o[0]! + 4) % 4),
    );
    expect(seconds).toEqual(new Set([1, 2, 3]));
    expect(shardOrder(1)).toEqual([0]);
  });

  it('spreads envelopes evenly over the shards', async () => {
    const { queues, received } = fakeShards(4);
    const events = clicks(1, 8);
    await sendEnvelopes(queues, events);
    expect(received.map((envelopes) => envelopes.length)).toEqual([2, 2, 2, 2]);
    expect(received.flat(2).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('sends an envelope a shard refuses to another shard at once, and counts no failure', async () => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { queues, received, sends } = fakeShards(4, [2]);
    const failuresBefore = sendFailuresInIsolate();
    const events = clicks(20, 8);
    const started = Date.now();
    await sendEnvelopes(queues, events);

    // Every envelope is queued, none on the refusing shard, which was tried by its two own turns.
    expect(received[2]).toEqual([]);
    expect(received.flat(2).sort()).toEqual(events.map((e) => e.id).sort());
    expect(sends[2]).toHaveBeenCalledTimes(2);
    expect(errors).not.toHaveBeenCalled();
    expect(sendFailuresInIsolate()).toBe(failuresBefore);
    const lines = warnings.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatchObject({ msg: 'queue send failed, retrying', shard: 2, delayMs: 0 });
      expect(line.nextShard).not.toBe(2);
      expect(line.error).toContain('shard 2 overloaded');
    }
    // No backoff was needed: eight lingers and nothing more.
    expect(Date.now() - started).toBeLessThan(8 * 100 + 40 * 8);
  });

  describe('consumed', () => {
    let ingest: ReturnType<typeof captureIngest>;
    beforeEach(() => {
      ingest = captureIngest();
    });
    afterEach(() => ingest.restore());

    it("takes every shard's messages to the ingest, through the real queues of wrangler.toml", async () => {
      const sent = EVENT_QUEUE_BINDINGS.map((binding) => vi.spyOn(env[binding], 'send'));
      const events = clicks(40, 8, 9301);
      await sendEnvelopes(eventQueues(env), events);
      for (const send of sent) expect(send).toHaveBeenCalledTimes(2);
      const stored = await eventually(ingest.eventsOf(9301), (e) => e.length >= events.length);
      expect(stored.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    });

    it('handles a batch of any shard alike', async () => {
      const names = ['tas-events', 'tas-events-1', 'tas-events-2', 'tas-events-3'];
      for (const [n, name] of names.entries()) {
        const event = { ...clickEventFixture(60 + n, 'Q'), offerId: 9302 };
        const batch = createMessageBatch(name, [
          { id: `m-${n}`, timestamp: new Date(), attempts: 1, body: { events: [event] } },
        ]);
        const ctx = createExecutionContext();
        await worker.queue(batch, env, ctx);
        const result = await getQueueResult(batch, ctx);
        expect(result.explicitAcks, name).toEqual([`m-${n}`]);
      }
      expect(
        ingest
          .eventsOf(9302)()
          .map((e) => e.id),
      ).toEqual(names.map((_, n) => clickEventFixture(60 + n, 'Q').id));
    });
  });
});
