import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clickEventFixture } from '../../test/fixtures.ts';
import worker from '../index.ts';

const clickEvent = (n: number) => clickEventFixture(n, 'R');
const message = (id: string, body: unknown) => ({ id, timestamp: new Date(), attempts: 1, body });

/** The x-request-id of each ingest POST; the ingest answers as `status` says. */
function captureRequestIds(status: () => number) {
  const ids: (string | null)[] = [];
  const original = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!new URL(request.url).pathname.endsWith('/internal/ingest')) return original(input, init);
    ids.push(request.headers.get('x-request-id'));
    await request.text();
    return new Response(JSON.stringify({ ok: status() === 200 }), { status: status() });
  });
  return ids;
}

describe('the request id of ingest POSTs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is derived from the batch, one per request, so the ingest log line can be found from the edge', async () => {
    const ids = captureRequestIds(() => 200);
    const batch = createMessageBatch('tas-events', [
      message('msg-a', { events: [clickEvent(1)] }),
      message('msg-b', { events: [clickEvent(2)] }),
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await getQueueResult(batch, ctx);
    expect(ids).toEqual(['q-msg-a.1']);
  });

  it('numbers the requests of a split batch and logs the id with the failure', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const ids = captureRequestIds(() => 500);
    const batch = createMessageBatch('tas-events', [
      message('msg-c', { events: [clickEvent(3)] }),
      message('msg-d', { events: [clickEvent(4)] }),
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await getQueueResult(batch, ctx);
    // The whole batch, then each message alone.
    expect(ids).toEqual(['q-msg-c.1', 'q-msg-c.2', 'q-msg-c.3']);
    const lines = errors.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'ingest failed, retrying', id: 'msg-c', requestId: 'q-msg-c' }),
    );
  });
});
