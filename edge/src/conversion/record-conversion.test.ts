import { env, SELF } from 'cloudflare:test';
import { createClickIdCodec } from '@tas/shared/click-id';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { click, EDGE, offerConfig, publishOfferAndAffiliate } from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import { TEST_CLICK_ID_KEYS } from '../../test/test-secrets.ts';

const codec = createClickIdCodec(TEST_CLICK_ID_KEYS);

async function clickIdFor(offerId: number): Promise<string> {
  const response = await click(`/c/${offerId}?aff_id=7`);
  return new URL(response.headers.get('location')!).searchParams.get('cid')!;
}

describe('conversions', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('counts N concurrent identical postbacks once: one accepted, the rest duplicates', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 400 }));
    const clickId = await clickIdFor(400);
    const answers = (await Promise.all(
      Array.from({ length: 25 }, () =>
        SELF.fetch(`${EDGE}/postback?click_id=${clickId}&txid=SAME&amount=5`).then((r) => r.json()),
      ),
    )) as { status: string }[];
    expect(answers.filter((a) => a.status === 'accepted')).toHaveLength(1);
    expect(answers.filter((a) => a.status === 'duplicate')).toHaveLength(24);
    await eventually(ingest.conversionsOf(400), (e) => e.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(ingest.conversionsOf(400)()).toHaveLength(1);
  });

  it('accepts postbacks only from the allowlisted addresses when the offer has an allowlist', async () => {
    await publishOfferAndAffiliate(
      offerConfig({ id: 401, postbackIpAllowlist: ['198.51.100.0/28', '2001:db8::5'] }),
    );
    const clickId = await clickIdFor(401);
    const from = (ip: string) =>
      SELF.fetch(`${EDGE}/postback?click_id=${clickId}&txid=${ip}`, { headers: { 'cf-connecting-ip': ip } });
    expect((await from('198.51.100.3')).status).toBe(200);
    expect((await from('2001:db8::5')).status).toBe(200);
    expect((await from('198.51.100.16')).status).toBe(401);
    expect((await SELF.fetch(`${EDGE}/postback?click_id=${clickId}&txid=none`)).status).toBe(401);
  });

  it('flags conversions that come too fast or too late after the click', async () => {
    await publishOfferAndAffiliate(
      offerConfig({ id: 402, fraud: { minSecondsToConvert: 30, maxSecondsToConvert: 3600 } }),
    );
    const fresh = await clickIdFor(402);
    const old = await codec.sign({
      offerId: 402,
      affiliateId: 7,
      clickedAt: new Date(Date.now() - 7200_000),
    });
    const mid = await codec.sign({ offerId: 402, affiliateId: 7, clickedAt: new Date(Date.now() - 600_000) });
    for (const [id, txid] of [
      [fresh, 'fast'],
      [old, 'slow'],
      [mid, 'ok'],
    ]) {
      expect((await SELF.fetch(`${EDGE}/postback?click_id=${id}&txid=${txid}`)).status).toBe(200);
    }
    const events = await eventually(ingest.conversionsOf(402), (e) => e.length >= 3);
    expect(Object.fromEntries(events.map((e) => [e.txid, e.fraudFlags]))).toEqual({
      fast: ['conversion_too_fast'],
      slow: ['conversion_too_slow'],
      ok: [],
    });
  });

  it('answers 503 when the Queue refuses a conversion, and takes the retry as new (not a duplicate)', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 403, caps: { offer: { dailyConversions: 1 } } }));
    const clickId = await clickIdFor(403);
    // Only the conversion's send fails (the click's own envelope may still be on its way).
    const original = env.EVENTS.send.bind(env.EVENTS);
    let refused = 0;
    const send = vi.spyOn(env.EVENTS, 'send').mockImplementation(async (body, options) => {
      const events = (body as { events?: { type: string }[] }).events ?? [];
      if (refused === 0 && events[0]?.type === 'conversion') {
        refused++;
        throw new Error('queue unavailable');
      }
      return original(body, options);
    });
    try {
      const failed = await SELF.fetch(`${EDGE}/postback?click_id=${clickId}&txid=Q1`);
      expect(failed.status).toBe(503);
      expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');
    } finally {
      send.mockRestore();
    }
    expect(refused).toBe(1);
    const retried = await SELF.fetch(`${EDGE}/postback?click_id=${clickId}&txid=Q1`);
    expect(await retried.json()).toMatchObject({ status: 'accepted' });
    // The failed attempt gave its cap unit back: the retry is within the cap of 1.
    const [conversion] = await eventually(ingest.conversionsOf(403), (e) => e.length >= 1);
    expect(conversion?.reason).toBeNull();
  });
});
