import { env, SELF } from 'cloudflare:test';
import type { CapUsageResponse } from '@tas/shared/cap-usage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  affiliateConfig,
  click,
  EDGE,
  offerConfig,
  publishOfferAndAffiliate,
  signedPost,
} from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import { capLeases } from './cap-lease.ts';

const caps = (limits: Record<string, number>) => ({
  dailyClicks: null,
  monthlyClicks: null,
  dailyConversions: null,
  monthlyConversions: null,
  ...limits,
});

describe('caps', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('lets exactly K of N concurrent clicks through a daily click cap of K; the rest go to the fallback', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 300, caps: { offer: caps({ dailyClicks: 7 }) } }));
    const responses = await Promise.all(Array.from({ length: 40 }, () => click('/c/300?aff_id=7')));
    const locations = responses.map((r) => r.headers.get('location') ?? '');
    expect(locations.filter((l) => l.startsWith('https://adv.test/'))).toHaveLength(7);
    expect(locations.filter((l) => l === 'https://fallback.test/')).toHaveLength(33);
    const events = await eventually(ingest.eventsOf(300), (e) => e.length >= 40);
    expect(events.filter((e) => e.type === 'click' && e.reason === 'cap_reached')).toHaveLength(33);
  });

  it('caps each affiliate separately, with per-affiliate overrides, and does not spend the offer cap on refused clicks', async () => {
    const offer = offerConfig({
      id: 301,
      caps: {
        offer: caps({ monthlyClicks: 6 }),
        perAffiliate: caps({ dailyClicks: 2 }),
        affiliateOverrides: [{ affiliateId: 8, limits: caps({ dailyClicks: 3 }) }],
      },
    });
    await publishOfferAndAffiliate(offer, affiliateConfig({ id: 7 }));
    await publishOfferAndAffiliate(offer, affiliateConfig({ id: 8 }));
    await publishOfferAndAffiliate(offer, affiliateConfig({ id: 9 }));
    const through = async (affiliate: number, n: number) => {
      const responses = await Promise.all(
        Array.from({ length: n }, () => click(`/c/301?aff_id=${affiliate}`)),
      );
      return responses.filter((r) => r.headers.get('location')?.startsWith('https://adv.test/')).length;
    };
    expect(await through(7, 5)).toBe(2);
    expect(await through(8, 5)).toBe(3);
    // 5 of the offer's 6 are used; affiliate 9 may have 2 but the offer has 1 left.
    expect(await through(9, 5)).toBe(1);

    // The control plane reads the same counters back through the signed internal endpoint. A
    // lease counts as used until its unspent tokens return (at expiry, here at once).
    await capLeases.returnAll(env.CAPS);
    const read = (body: unknown, sign = true) =>
      sign
        ? signedPost('/internal/caps', body)
        : SELF.fetch(`${EDGE}/internal/caps`, { method: 'POST', body: JSON.stringify(body) });
    const usage = await read({ offerId: 301, affiliateIds: [7, 8, 9, 10] });
    expect(usage.status).toBe(200);
    const body = (await usage.json()) as CapUsageResponse;
    expect(body.day).toBe(new Date().toISOString().slice(0, 10));
    expect(body.offer.clicks.monthly).toBe(6);
    expect(body.offer.conversions).toEqual({ daily: 0, monthly: 0 });
    expect(body.affiliates.map((a) => [a.affiliateId, a.used.clicks.daily])).toEqual([
      [7, 2],
      [8, 3],
      [9, 1],
      [10, 0],
    ]);
    expect((await read({ offerId: 301 }, false)).status).toBe(401);
    expect((await read({ offerId: 'x' })).status).toBe(400);
  });

  it('records conversions over the conversion cap as capped, and accepts them', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 302, caps: { offer: caps({ dailyConversions: 2 }) } }));
    const location = new URL((await click('/c/302?aff_id=7')).headers.get('location')!);
    const clickId = location.searchParams.get('cid');
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        SELF.fetch(`${EDGE}/postback?click_id=${clickId}&txid=C${i}`).then((r) => r.json()),
      ),
    );
    expect(answers.every((a) => (a as { status: string }).status === 'accepted')).toBe(true);
    const conversions = await eventually(
      () =>
        ingest
          .eventsOf(302)()
          .flatMap((e) => (e.type === 'conversion' ? [e] : [])),
      (e) => e.length >= 5,
    );
    expect(conversions.filter((c) => c.reason === 'cap_reached')).toHaveLength(3);
  });

  it('takes nothing from the conversion cap for a conversion its advertiser sends rejected', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 303, caps: { offer: caps({ dailyConversions: 1 }) } }));
    const clickId = new URL((await click('/c/303?aff_id=7')).headers.get('location')!).searchParams.get(
      'cid',
    );
    await SELF.fetch(`${EDGE}/postback?click_id=${clickId}&txid=TEST-1&status=rejected`);
    await SELF.fetch(`${EDGE}/postback?click_id=${clickId}&txid=REAL-1`);
    const conversions = await eventually(
      () =>
        ingest
          .eventsOf(303)()
          .flatMap((e) => (e.type === 'conversion' ? [e] : [])),
      (e) => e.length >= 2,
    );
    // The real one still fits the cap of one.
    expect(conversions.find((c) => c.txid === 'REAL-1')?.reason).toBeNull();
  });
});
