import { CreativeProviderError, type CreativeProviderId } from './creative-provider.ts';

/** How a provider waits on a long-running job; tests make it fast. */
export type PollTiming = {
  /** First wait, in ms; each next one is `factor` times longer, up to `maxMs`. */
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Give up after this long (the job is then `generation_failed`). */
  timeoutMs: number;
};

/** Video jobs take one to several minutes: start at 2 s, back off to 15 s, give up after 15 min. */
export const DEFAULT_POLL: PollTiming = {
  initialMs: 2_000,
  maxMs: 15_000,
  factor: 1.5,
  timeoutMs: 15 * 60_000,
};

/**
 * Calls `check` until it returns a value, waiting longer each time, and stops at once (throwing
 * `cancelled`) when the signal aborts, even in the middle of a wait.
 */
export async function pollUntil<T>(
  provider: CreativeProviderId,
  check: () => Promise<T | undefined>,
  timing: PollTiming,
  signal?: AbortSignal,
): Promise<T> {
  const started = Date.now();
  let wait = timing.initialMs;
  for (;;) {
    throwIfCancelled(provider, signal);
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() - started + wait > timing.timeoutMs) {
      throw new CreativeProviderError(
        'generation_failed',
        `the job did not finish within ${Math.round(timing.timeoutMs / 1000)} s`,
        { provider },
      );
    }
    await sleep(provider, wait, signal);
    wait = Math.min(timing.maxMs, wait * timing.factor);
  }
}

export function throwIfCancelled(provider: CreativeProviderId, signal?: AbortSignal): void {
  if (signal?.aborted) throw cancelled(provider, signal);
}

export function cancelled(provider: CreativeProviderId, signal?: AbortSignal): CreativeProviderError {
  return new CreativeProviderError('cancelled', 'the generation was cancelled', {
    provider,
    cause: signal?.reason,
  });
}

function sleep(provider: CreativeProviderId, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // An already aborted signal fires no more events.
    if (signal?.aborted) return reject(cancelled(provider, signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(provider, signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
