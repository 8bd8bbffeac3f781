import { env } from 'cloudflare:test';
import type { CapUsageResponse } from '@tas/shared/cap-usage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { click, offerConfig, publishOfferAndAffiliate, signedPost } from '../../test/fixtures.ts';
import { captureIngest } from '../../test/ingest-capture.ts';
import { CapLeaseCache, capLeases, type LeaseScope } from './cap-lease.ts';
import { periods } from './cap-scope.ts';

const { day, month } = periods(new Date());
const scope = (name: string, limits: Partial<LeaseScope> = {}): LeaseScope => ({
  name,
  kind: 'clicks',
  day,
  month,
  dailyLimit: null,
  monthlyLimit: null,
  ...limits,
});
const usedOf = (name: string, at = { day, month }) => env.CAPS.get(env.CAPS.idFromName(name)).usage(at);

/** A simulated isolate: its own lease cache, and the waitUntil work it was handed. */
function isolate(ttlMs: number) {
  const background: Promise<unknown>[] = [];
  return {
    leases: new CapLeaseCache({ ttlMs, maxLease: 64, initialWant: 4 }),
    waitUntil: (promise: Promise<unknown>) => {
      background.push(promise);
    },
    settled: () => Promise.all(background),
  };
}

describe('leased cap counters', () => {
  it('never goes over the cap with hundreds of concurrent clicks over 8 isolates, and delivers >= 99% of it once leases return', async () => {
    const cap = scope('cap:lease-test-1', { dailyLimit: 1000 });
    const isolates = Array.from({ length: 8 }, () => isolate(250));
    let seed = 7;
    const pick = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return isolates[seed % isolates.length]!;
    };
    let delivered = 0;
    const waves: number[] = [];
    // Waves of 300 concurrent clicks, each on a random isolate, 150 ms apart: leases of earlier
    // waves are still out when later ones come, expire (250 ms) and go back, and are lent again.
    for (let wave = 0; wave < 40 && delivered < 1000; wave++) {
      const answers = await Promise.all(
        Array.from({ length: 300 }, () => {
          const at = pick();
          return at.leases.take(env.CAPS, cap, at.waitUntil);
        }),
      );
      const through = answers.filter(Boolean).length;
      delivered += through;
      waves.push(through);
      // Never over, at any point.
      expect(delivered).toBeLessThanOrEqual(1000);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await Promise.all(isolates.map((at) => at.settled()));
    expect(delivered).toBeGreaterThanOrEqual(990);
    // Every lease has expired and been returned: the ledger says exactly what was spent.
    expect((await usedOf(cap.name)).clicks.daily).toBe(delivered);
    console.log(
      `leased cap: delivered ${delivered} of 1000 (${delivered / 10}%), per wave ${waves.join(', ')}`,
    );
  });

  it('keeps days apart: a lease of one UTC day is never spent on the next', async () => {
    const at = isolate(10_000);
    const dayOne = scope('cap:lease-test-2', { day: '2026-03-31', month: '2026-03', dailyLimit: 5 });
    const dayTwo = { ...dayOne, day: '2026-04-01', month: '2026-04' };
    const take = (s: LeaseScope, n: number) =>
      Promise.all(Array.from({ length: n }, () => at.leases.take(env.CAPS, s, at.waitUntil))).then(
        (answers) => answers.filter(Boolean).length,
      );
    expect(await take(dayOne, 8)).toBe(5);
    expect(await take(dayTwo, 8)).toBe(5);
    expect(await take(dayOne, 2)).toBe(0);
    await at.leases.returnAll(env.CAPS);
    expect((await usedOf(dayOne.name, { day: '2026-03-31', month: '2026-03' })).clicks).toEqual({
      daily: 5,
      monthly: 5,
    });
    expect((await usedOf(dayOne.name, { day: '2026-04-01', month: '2026-04' })).clicks).toEqual({
      daily: 5,
      monthly: 5,
    });
  });

  it('shrinks leases as the cap nears and counts lent tokens as used until they return', async () => {
    const stub = env.CAPS.get(env.CAPS.idFromName('cap:lease-test-3'));
    const ask = { kind: 'clicks', day, month, dailyLimit: 100, monthlyLimit: null, ttlMs: 10_000 } as const;
    const a = await stub.acquire({ ...ask, want: 500, previous: null });
    // One holder (the asker): at most half of what remains.
    expect(a.tokens).toBe(50);
    const b = await stub.acquire({ ...ask, want: 500, previous: null });
    // Two holders now: 50 / (2 * 2).
    expect(b.tokens).toBe(12);
    expect((await stub.usage({ day, month })).clicks.daily).toBe(62);
    await stub.giveBack({ leaseId: a.leaseId!, unspent: 50 });
    // A second return of the same lease gives nothing back twice; no holder returns more than lent.
    await stub.giveBack({ leaseId: a.leaseId!, unspent: 50 });
    await stub.giveBack({ leaseId: b.leaseId!, unspent: 9_999 });
    expect((await stub.usage({ day, month })).clicks.daily).toBe(0);
    // Near the cap, leases come down to single tokens, never past the cap.
    let granted = 0;
    for (let i = 0; i < 200; i++) {
      const lease = await stub.acquire({ ...ask, want: 500, previous: null });
      if (lease.tokens === 0) {
        expect(lease.retryAfterMs).toBeGreaterThan(0);
        break;
      }
      granted += lease.tokens;
    }
    expect(granted).toBe(100);
  });

  it('validates what the ledger is asked', async () => {
    const stub = env.CAPS.get(env.CAPS.idFromName('cap:lease-test-4'));
    const ask = { kind: 'clicks', day, month, dailyLimit: 10, monthlyLimit: null, ttlMs: 1000 } as const;
    // Settled here, so that a refused RPC leaves no rejected promise behind.
    const refused = (call: Promise<unknown>) =>
      call.then(
        () => 'accepted',
        (error: unknown) => (String(error).includes('ZodError') ? 'refused' : String(error)),
      );
    expect(
      await Promise.all([
        refused(stub.acquire({ ...ask, want: 0, previous: null })),
        refused(stub.acquire({ ...ask, want: 5, ttlMs: 3_600_000, previous: null })),
        refused(stub.acquire({ ...ask, want: 5, previous: { leaseId: 'x', unspent: -1 } })),
        refused(stub.giveBack({ leaseId: '', unspent: 1 })),
      ]),
    ).toEqual(['refused', 'refused', 'refused', 'refused']);
    expect((await stub.usage({ day, month })).clicks.daily).toBe(0);
  });
});

describe('leased caps through the click handler', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('lets exactly K of 300 concurrent clicks through a cap of K, and the usage read says K', async () => {
    await publishOfferAndAffiliate(
      offerConfig({
        id: 310,
        caps: {
          offer: {
            dailyClicks: 120,
            monthlyClicks: null,
            dailyConversions: null,
            monthlyConversions: null,
          },
        },
      }),
    );
    const responses = await Promise.all(Array.from({ length: 300 }, () => click('/c/310?aff_id=7')));
    const through = responses.filter((r) => r.headers.get('location')?.startsWith('https://adv.test/'));
    expect(through).toHaveLength(120);
    await capLeases.returnAll(env.CAPS);
    const usage = (await (await signedPost('/internal/caps', { offerId: 310 })).json()) as CapUsageResponse;
    expect(usage.offer.clicks.daily).toBe(120);
    // Leases returned, the cap is still full.
    expect((await click('/c/310?aff_id=7')).headers.get('location')).toBe('https://fallback.test/');
  });
});
