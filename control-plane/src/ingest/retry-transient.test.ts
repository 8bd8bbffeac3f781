import { describe, expect, it } from 'vitest';
import { retryTransient } from './retry-transient.ts';

// As drivers report them: Drizzle wraps the driver's error, whose code is the SQLSTATE.
const failure = (code: string) => Object.assign(new Error('query failed'), { cause: { code } });

describe('retryTransient', () => {
  it('runs again a statement the database aborted to break a deadlock, and gives up after three tries', async () => {
    let calls = 0;
    expect(
      await retryTransient(async () => {
        calls++;
        if (calls < 3) throw failure('40P01');
        return 'stored';
      }),
    ).toBe('stored');
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      retryTransient(async () => {
        calls++;
        throw failure('40001');
      }),
    ).rejects.toThrow('query failed');
    expect(calls).toBe(3);
  });

  it('throws any other failure at once', async () => {
    let calls = 0;
    await expect(
      retryTransient(async () => {
        calls++;
        throw failure('22P02');
      }),
    ).rejects.toThrow('query failed');
    expect(calls).toBe(1);
  });
});
