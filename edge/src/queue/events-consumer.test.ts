import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clickEventFixture } from '../../test/fixtures.ts';
import { captureIngest } from '../../test/ingest-capture.ts';
import worker from '../index.ts';
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

  it('keeps an invalid message for the dead-letter queue instead of dropping it, and still delivers the rest', async () => {
    const result = await deliver([
      message('bad', { events: [{ type: 'click', id: 'nope' }] }),
      message('bare', clickEvent(4)),
      message('ok', envelope(clickEvent(3))),
    ]);
    expect(ingest.events().map((e) => e.id)).toEqual([clickEvent(3).id]);
    expect(result.explicitAcks).toEqual(['ok']);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(['bad', 'bare']);
  });
});

describe('retryDelaySeconds', () => {
  it('doubles with each attempt and stops at five minutes', () => {
    expect([0, 1, 2, 3, 4, 8, 9, 50].map(retryDelaySeconds)).toEqual([2, 2, 4, 8, 16, 256, 300, 300]);
  });
});
