import { SELF } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { affiliateConfig, click, EDGE, offerConfig, publishOfferAndAffiliate } from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';

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
});
