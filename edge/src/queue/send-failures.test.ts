import { describe, expect, it, vi } from 'vitest';
import { clickEventFixture } from '../../test/fixtures.ts';
import { enqueueEvent } from './event-batcher.ts';
import { sendFailuresInIsolate } from './send-failures.ts';

describe('queue send failures', () => {
  it('are retried on every shard, then logged as one structured line with the events and counted in the isolate', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const failing = { send: vi.fn(async () => Promise.reject(new Error('queue overloaded'))) };
    const before = sendFailuresInIsolate();
    const pending: Promise<unknown>[] = [];
    const event = clickEventFixture(7, 'S');
    // Two shards, both down: four rounds over both (at once to the other shard, then 50, 250 and
    // 1,000 ms before the next round), and only then is the envelope given up.
    const shards = [failing, failing] as unknown as Queue[];
    enqueueEvent(shards, event, (p) => pending.push(p));
    await Promise.all(pending);

    expect(failing.send).toHaveBeenCalledTimes(8);
    const retries = warnings.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(retries.map((r) => r.msg)).toEqual(Array(7).fill('queue send failed, retrying'));
    expect(retries.map((r) => r.delayMs)).toEqual([0, 50, 0, 250, 0, 1000, 0]);
    const [line] = errors.mock.calls.map(([l]) => JSON.parse(String(l)));
    expect(line).toMatchObject({
      msg: 'click events not queued',
      count: 1,
      ids: [event.id],
      attempts: 8,
      failuresInIsolate: before + 1,
    });
    expect(line.error).toContain('queue overloaded');
    expect(sendFailuresInIsolate()).toBe(before + 1);
    vi.restoreAllMocks();
  });
});
