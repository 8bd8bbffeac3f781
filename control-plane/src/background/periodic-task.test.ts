import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPeriodicTask } from './periodic-task.ts';

describe('startPeriodicTask', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs rounds one after another, goes on after a failing round, and stop waits for the round under way', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    let rounds = 0;
    let inRound = 0;
    let overlapped = false;
    let release: () => void = () => {};
    const task = startPeriodicTask('test task', 5, async () => {
      inRound++;
      overlapped ||= inRound > 1;
      rounds++;
      try {
        if (rounds === 2) throw new Error('boom');
        if (rounds === 4) await new Promise<void>((resolve) => (release = resolve));
      } finally {
        inRound--;
      }
    });
    await vi.waitFor(() => expect(rounds).toBe(4), { timeout: 2000 });
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stopped).toBe(false);
    release();
    await stopping;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(rounds).toBe(4);
    expect(overlapped).toBe(false);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('test task round failed'));
  });
});
