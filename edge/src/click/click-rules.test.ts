import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { click, offerConfig, publishOfferAndAffiliate } from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import {
  CHROME_ANDROID,
  CHROME_WINDOWS,
  FACEBOOK_PREVIEW,
  SAFARI_IPAD,
  SAFARI_IPHONE,
  SLACK_PREVIEW,
} from '../../test/user-agents.ts';

const from = (country: string, userAgent = CHROME_WINDOWS, ip = '198.51.100.1') => ({
  headers: { 'user-agent': userAgent, 'cf-connecting-ip': ip },
  cf: { country },
});
const locationOf = (response: Response) => response.headers.get('location') ?? '';

describe('click rules', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('targets by country, device and OS, sending everyone else to the fallback with the reason', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 100, targeting: { countries: ['DE', 'AT'] } }));
    await publishOfferAndAffiliate(offerConfig({ id: 101, targeting: { devices: ['mobile'] } }));
    await publishOfferAndAffiliate(offerConfig({ id: 102, targeting: { operatingSystems: ['ios'] } }));
    expect(locationOf(await click('/c/100?aff_id=7', from('DE')))).toMatch(/^https:\/\/adv\.test/);
    expect(locationOf(await click('/c/100?aff_id=7', from('FR')))).toBe('https://fallback.test/');
    expect(locationOf(await click('/c/101?aff_id=7', from('DE', CHROME_ANDROID)))).toMatch(
      /^https:\/\/adv\.test/,
    );
    expect(locationOf(await click('/c/101?aff_id=7', from('DE', SAFARI_IPAD)))).toBe(
      'https://fallback.test/',
    );
    expect(locationOf(await click('/c/101?aff_id=7', from('DE', CHROME_WINDOWS)))).toBe(
      'https://fallback.test/',
    );
    expect(locationOf(await click('/c/102?aff_id=7', from('DE', SAFARI_IPHONE)))).toMatch(
      /^https:\/\/adv\.test/,
    );
    expect(locationOf(await click('/c/102?aff_id=7', from('DE', CHROME_ANDROID)))).toBe(
      'https://fallback.test/',
    );

    const events = await eventually(
      () => [100, 101, 102].flatMap((id) => ingest.eventsOf(id)()),
      (e) => e.length >= 7,
    );
    const summary = events.map((e) =>
      e.type === 'click' ? [e.offerId, e.country, e.device, e.os, e.reason] : null,
    );
    expect(summary).toEqual(
      expect.arrayContaining([
        [100, 'FR', 'desktop', 'windows', 'targeting_mismatch'],
        [101, 'DE', 'tablet', 'ios', 'targeting_mismatch'],
        [102, 'DE', 'mobile', 'ios', null],
      ]),
    );
  });

  it('rotates landing pages by weight and records which one was used', async () => {
    await publishOfferAndAffiliate(
      offerConfig({
        id: 103,
        landingPages: [
          { id: 1, url: 'https://lp.test/a?c={click_id}', weight: 3 },
          { id: 2, url: 'https://lp.test/b?c={click_id}', weight: 1 },
        ],
      }),
    );
    const seen: Record<string, number> = {};
    for (let i = 0; i < 80; i++) {
      const path = new URL(locationOf(await click('/c/103?aff_id=7'))).pathname;
      seen[path] = (seen[path] ?? 0) + 1;
    }
    expect(Object.keys(seen).sort()).toEqual(['/a', '/b']);
    expect(seen['/a']!).toBeGreaterThan(seen['/b']!);
    const events = await eventually(ingest.eventsOf(103), (e) => e.length >= 80);
    const pages = new Set(events.map((e) => (e.type === 'click' ? e.landingPageId : null)));
    expect(pages).toEqual(new Set([1, 2]));
  });

  it('follows a deep link only when the offer allows it and the host is on its allowlist', async () => {
    await publishOfferAndAffiliate(
      offerConfig({ id: 104, deepLinks: { allowed: true, hosts: ['shop.adv.test', '*.adv-cdn.test'] } }),
    );
    await publishOfferAndAffiliate(offerConfig({ id: 105 }));
    const deep = (offer: number, url: string) =>
      click(`/c/${offer}?aff_id=7&url=${encodeURIComponent(url)}`).then(locationOf);
    expect(await deep(104, 'https://shop.adv.test/p/42?x=1')).toBe('https://shop.adv.test/p/42?x=1');
    expect(await deep(104, 'https://img.adv-cdn.test/a')).toBe('https://img.adv-cdn.test/a');
    for (const refused of [
      'https://evil.test/',
      'https://shop.adv.test.evil.test/',
      'javascript:alert(1)',
      'https://user:pw@shop.adv.test/',
      '//shop.adv.test/x',
    ]) {
      expect(await deep(104, refused), refused).toMatch(/^https:\/\/adv\.test\/land/);
    }
    expect(await deep(105, 'https://shop.adv.test/p/42')).toMatch(/^https:\/\/adv\.test\/land/);
  });

  it('passes gclid, fbclid, msclkid, ttclid and creative_id into the event and the creative_id macro', async () => {
    await publishOfferAndAffiliate(
      offerConfig({ id: 106, destinationUrl: 'https://adv.test/?cr={creative_id}' }),
    );
    const response = await click('/c/106?aff_id=7&gclid=G1&fbclid=F1&msclkid=M1&ttclid=T1&creative_id=55');
    expect(locationOf(response)).toBe('https://adv.test/?cr=55');
    const [event] = await eventually(ingest.eventsOf(106), (e) => e.length >= 1);
    expect(event).toMatchObject({ gclid: 'G1', fbclid: 'F1', msclkid: 'M1', ttclid: 'T1', creativeId: 55 });
  });

  it('carries gbraid, wbraid and the consent parameter on the event, anything unknown as not given', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 107 }));
    for (const query of ['consent=1&gbraid=GB1', 'consent=DENIED&wbraid=WB1', 'consent=maybe', '']) {
      await click(`/c/107?aff_id=7&sub2=${encodeURIComponent(query)}&${query}`);
    }
    const events = await eventually(ingest.eventsOf(107), (e) => e.length >= 4);
    const bySub2 = new Map(events.map((e) => [e.type === 'click' ? e.sub2 : null, e]));
    expect(bySub2.get('consent=1&gbraid=GB1')).toMatchObject({
      consent: 'granted',
      gbraid: 'GB1',
      wbraid: null,
    });
    expect(bySub2.get('consent=DENIED&wbraid=WB1')).toMatchObject({ consent: 'denied', wbraid: 'WB1' });
    expect(bySub2.get('consent=maybe')).toMatchObject({ consent: null });
    expect(bySub2.get(null)).toMatchObject({ consent: null });
  });

  it("sends a creative's clicks to the fallback while its campaign is off schedule or out of budget", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const base = { startDate: null, endDate: null, stopped: null, dailyBudgetSpentOn: null };
    await publishOfferAndAffiliate(
      offerConfig({
        id: 108,
        campaigns: [
          { ...base, id: 1, creativeIds: [51] },
          { ...base, id: 2, creativeIds: [52], stopped: 'budget_spent' },
          { ...base, id: 3, creativeIds: [53], dailyBudgetSpentOn: today },
          { ...base, id: 4, creativeIds: [54], dailyBudgetSpentOn: yesterday },
          { ...base, id: 5, creativeIds: [55], endDate: yesterday },
          { ...base, id: 6, creativeIds: [56], stopped: 'not_active' },
        ],
      }),
    );
    const outcome = async (creative: string) =>
      locationOf(await click(`/c/108?aff_id=7${creative}`)).startsWith('https://fallback.test/')
        ? 'fallback'
        : 'redirect';
    expect(await outcome('&creative_id=51')).toBe('redirect');
    expect(await outcome('&creative_id=52')).toBe('fallback');
    expect(await outcome('&creative_id=53')).toBe('fallback');
    expect(await outcome('&creative_id=54')).toBe('redirect');
    expect(await outcome('&creative_id=55')).toBe('fallback');
    expect(await outcome('&creative_id=56')).toBe('fallback');
    // A creative of no listed campaign, or no creative at all, is not held back.
    expect(await outcome('&creative_id=99')).toBe('redirect');
    expect(await outcome('')).toBe('redirect');

    const events = await eventually(ingest.eventsOf(108), (e) => e.length >= 8);
    const reasons = Object.fromEntries(
      events.map((e) => (e.type === 'click' ? [String(e.creativeId), e.reason] : ['', null])),
    );
    expect(reasons).toEqual({
      '51': null,
      '52': 'budget_reached',
      '53': 'budget_reached',
      '54': null,
      '55': 'campaign_inactive',
      '56': 'campaign_inactive',
      '99': null,
      null: null,
    });
  });

  it("sends an offer's clicks to the fallback once its advertiser's money has run out, and still counts postbacks of earlier clicks", async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 111 }));
    const before = await click('/c/111?aff_id=7&sub1=before');
    expect(locationOf(before)).toMatch(/^https:\/\/adv\.test/);
    const clickId = new URL(locationOf(before)).searchParams.get('cid');
    expect(clickId).toBeTruthy();

    await publishOfferAndAffiliate(offerConfig({ id: 111, fundsStopped: true, revision: 2 }));
    expect(locationOf(await click('/c/111?aff_id=7&sub1=after'))).toBe('https://fallback.test/');
    // A preview is told the fallback too: the destination is not served.
    expect(locationOf(await click('/c/111?aff_id=7', { method: 'HEAD' }))).toBe('https://fallback.test/');
    // The visitor sent before the stop converts: that conversion is owed and counted.
    const postback = await click(`/postback?click_id=${clickId}&txid=T111&amount=20`);
    expect(await postback.json()).toMatchObject({ status: 'accepted' });

    const events = await eventually(ingest.eventsOf(111), (e) => e.length >= 3);
    const clicks = events.flatMap((e) => (e.type === 'click' ? [[e.sub1, e.reason]] : []));
    expect(clicks).toEqual(
      expect.arrayContaining([
        ['before', null],
        ['after', 'budget_reached'],
      ]),
    );
    expect(events.filter((e) => e.type === 'conversion')).toHaveLength(1);

    // Funds back: the offer serves again.
    await publishOfferAndAffiliate(offerConfig({ id: 111, fundsStopped: false, revision: 3 }));
    expect(locationOf(await click('/c/111?aff_id=7'))).toMatch(/^https:\/\/adv\.test/);
  });

  it('answers HEAD requests without counting a click, and shows no preview the destination of a paused or private offer', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 107 }));
    const head = await click('/c/107?aff_id=7&sub1=s', { method: 'HEAD' });
    expect(head.status).toBe(302);
    expect(head.headers.get('set-cookie')).toBeNull();
    expect(locationOf(head)).not.toMatch(/cid=[A-Za-z0-9_-]{44}/);
    await publishOfferAndAffiliate(offerConfig({ id: 108, status: 'paused' }));
    await publishOfferAndAffiliate(offerConfig({ id: 109, visibility: 'private', approvedAffiliateIds: [] }));
    for (const offer of [108, 109]) {
      for (const init of [{ method: 'HEAD' }, { headers: { 'user-agent': SLACK_PREVIEW } }]) {
        const preview = await click(`/c/${offer}?aff_id=7`, init);
        expect(preview.status).toBe(302);
        expect(locationOf(preview)).toMatch(/^https:\/\/fallback\.test\//);
      }
    }
    await click('/c/107?aff_id=7', { headers: { 'user-agent': CHROME_WINDOWS } });
    await eventually(ingest.eventsOf(107), (e) => e.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(ingest.eventsOf(107)()).toHaveLength(1);
  });

  it('records bots as flagged clicks that keep their sub ids and a click id, using up no cap', async () => {
    await publishOfferAndAffiliate(
      offerConfig({
        id: 110,
        caps: {
          offer: { dailyClicks: 1, monthlyClicks: null, dailyConversions: null, monthlyConversions: null },
        },
      }),
    );
    const answers = [];
    for (const bot of [SLACK_PREVIEW, FACEBOOK_PREVIEW]) {
      const response = await click('/c/110?aff_id=7&sub1=keep&sub2=me', { headers: { 'user-agent': bot } });
      expect(response.status).toBe(302);
      answers.push(locationOf(response));
    }
    for (const location of answers) {
      // Sent to the destination with its macros: a person misread as a bot can still convert.
      expect(location).toMatch(/^https:\/\/adv\.test\/land\?cid=[A-Za-z0-9_-]{44}&o=110&a=7&s1=keep&s2=me/);
    }
    const events = await eventually(ingest.eventsOf(110), (e) => e.length >= 2);
    expect(events.map((e) => e.type === 'click' && e.fraudFlags)).toEqual([['bot'], ['bot']]);
    // The bots took nothing from the cap of one click a day: a person still gets through.
    const person = await click('/c/110?aff_id=7', { headers: { 'user-agent': CHROME_WINDOWS } });
    expect(locationOf(person)).toMatch(/^https:\/\/adv\.test\/land/);
  });

  it("sends bots to the fallback when the offer's fraud action says so, or when its click cap is full", async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 111, fraud: { action: 'fallback' } }));
    const flagged = await click('/c/111?aff_id=7', { headers: { 'user-agent': SLACK_PREVIEW } });
    expect(locationOf(flagged)).toMatch(/^https:\/\/fallback\.test\//);
    await publishOfferAndAffiliate(
      offerConfig({
        id: 112,
        caps: {
          offer: { dailyClicks: 1, monthlyClicks: null, dailyConversions: null, monthlyConversions: null },
        },
      }),
    );
    const person = await click('/c/112?aff_id=7', { headers: { 'user-agent': CHROME_WINDOWS } });
    expect(locationOf(person)).toMatch(/^https:\/\/adv\.test\/land/);
    // The cap is full: a bot is no longer sent where people are not.
    const bot = await click('/c/112?aff_id=7', { headers: { 'user-agent': FACEBOOK_PREVIEW } });
    expect(locationOf(bot)).toMatch(/^https:\/\/fallback\.test\//);
  });
});
