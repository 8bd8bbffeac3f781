import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ConversionDedupe } from './conversion-dedupe.ts';

// Real times: claims older than the retention are swept by the object's alarm.
const T = Date.now();
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const click = (n: number) => `C${String(n).padStart(43, '0')}`;

/** The claim rules of an order, straight on the Durable Object (decision 018). */
describe('ConversionDedupe', () => {
  const stub = (name: string) => env.DEDUPE.get(env.DEDUPE.idFromName(name));
  const claim = (
    dedupe: DurableObjectStub<ConversionDedupe>,
    key: number,
    n: number,
    trusted: boolean,
    nowMs = T,
  ) =>
    dedupe.claimTxid({
      key: uuid(key),
      clickId: click(n),
      conversionId: trusted ? uuid(key) : uuid(1000 + n),
      alternateId: uuid(2000 + n),
      trusted,
      payable: true,
      nowMs,
    });

  it('lets a trusted postback take an order from any number of untrusted claims, past the stored ones', async () => {
    const dedupe = stub('test-cap');
    for (let n = 1; n <= 20; n++) {
      const outcome = await claim(dedupe, 1, n, false);
      expect(outcome.outcome, `claimant ${n}`).toBe('counted');
      if (outcome.outcome === 'counted') await dedupe.confirmTxid({ key: uuid(1), clickId: click(n) });
    }
    const real = await claim(dedupe, 1, 99, true);
    expect(real).toMatchObject({ outcome: 'counted', conversionId: uuid(1) });
    expect(real.outcome === 'counted' && real.supersedes.length).toBe(16);
  });

  it('answers "in progress" while a claim is unconfirmed, and lets a retry take it once its lease ran out', async () => {
    const dedupe = stub('test-lease');
    const first = await claim(dedupe, 2, 1, true, T);
    expect(first).toMatchObject({ outcome: 'counted', conversionId: uuid(2) });
    // The first request has not said it queued the conversion: a retry must not hear "duplicate".
    expect(await claim(dedupe, 2, 1, true, T + 2_000)).toEqual({ outcome: 'in_progress' });
    // It died: after the lease the retry records the very same conversion.
    expect(await claim(dedupe, 2, 1, true, T + 20_000)).toMatchObject({
      outcome: 'counted',
      conversionId: uuid(2),
    });
    await dedupe.confirmTxid({ key: uuid(2), clickId: click(1) });
    expect(await claim(dedupe, 2, 1, true, T + 21_000)).toMatchObject({
      outcome: 'duplicate',
      sameClick: true,
    });
  });

  it("takes a trusted postback for a click whose own pixel claimed the order first, rejecting the pixel's", async () => {
    const dedupe = stub('test-self');
    const pixel = await claim(dedupe, 3, 5, false);
    await dedupe.confirmTxid({ key: uuid(3), clickId: click(5) });
    const real = await claim(dedupe, 3, 5, true);
    expect(real).toMatchObject({
      outcome: 'counted',
      conversionId: uuid(2005),
      supersedes: [
        { conversionId: pixel.outcome === 'counted' ? pixel.conversionId : '', clickId: click(5) },
      ],
    });
    await dedupe.confirmTxid({ key: uuid(3), clickId: click(5) });
    expect(await claim(dedupe, 3, 5, true)).toMatchObject({ outcome: 'duplicate', conversionId: uuid(2005) });
  });

  it('lets claims that cannot earn hold nothing back, and probes claim nothing', async () => {
    const dedupe = stub('test-unpayable');
    await dedupe.claimTxid({
      key: uuid(4),
      clickId: click(1),
      conversionId: uuid(4),
      alternateId: uuid(2001),
      trusted: false,
      payable: false,
      nowMs: T,
    });
    await dedupe.confirmTxid({ key: uuid(4), clickId: click(1) });
    expect(await claim(dedupe, 4, 2, false)).toMatchObject({ outcome: 'counted', contested: false });
    const probe = await dedupe.claimTxid({
      key: uuid(5),
      clickId: click(1),
      conversionId: uuid(5),
      alternateId: uuid(2001),
      trusted: true,
      payable: true,
      probe: true,
      nowMs: T,
    });
    expect(probe).toEqual({ outcome: 'absent' });
    expect(await claim(dedupe, 5, 2, false)).toMatchObject({ outcome: 'counted', contested: false });
  });
});
