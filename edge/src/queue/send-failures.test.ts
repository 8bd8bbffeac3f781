import { describe, expect, it, vi } from 'vitest';
import { clickEventFixture } from '../../test/fixtures.ts';
import { enqueueEvent } from './event-batcher.ts';
import { sendFailuresInIsolate } from './send-failures.ts';

describe('queue send failures', () => {
  it('are retried, then logged as one structured line with the events and counted in the isolate', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const failing = { send: vi.fn(async () => Promise.reject(new Error('queue overloaded'))) };
    const before = sendFailuresInIsolate();
    const pending: Promise<unknown>[] = [];
    const event = clickEventFixture(7, 'S');
    enqueueEvent(failing as unknown as Queue, event, (p) => pending.push(p));
    await Promise.all(pending);

    expect(failing.send).toHaveBeenCalledTimes(4);
    expect(warnings.mock.calls.map(([line]) => JSON.parse(String(line)).msg)).toEqual([
      'queue send failed, retrying',
      'queue send failed, retrying',
      'queue send failed, retrying',
    ]);
    const [line] = errors.mock.calls.map(([l]) => JSON.parse(String(l)));
    expect(line).toMatchObject({
      msg: 'click events not queued',
      count: 1,
      ids: [event.id],
      attempts: 4,
      failuresInIsolate: before + 1,
    });
    expect(line.error).toContain('queue overloaded');
    expect(sendFailuresInIsolate()).toBe(before + 1);
    vi.restoreAllMocks();
  });
});
