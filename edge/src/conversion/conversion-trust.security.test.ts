import { env, SELF } from 'cloudflare:test';
import type { ConversionEvent } from '@tas/shared/events';
import type { OfferConfigInput } from '@tas/shared/offer-config';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  affiliateConfig,
  click,
  EDGE,
  type ErrorBody,
  offerConfig,
  publish,
  publishOfferAndAffiliate,
} from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import { CHROME_WINDOWS, SLACK_PREVIEW } from '../../test/user-agents.ts';

const SECRET = 'advertiser-secret-0001';

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function clickIdFor(offerId: number, affiliateId = 7, userAgent = CHROME_WINDOWS): Promise<string> {
  const response = await click(`/c/${offerId}?aff_id=${affiliateId}`, {
    headers: { 'user-agent': userAgent },
  });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  return location.searchParams.get('cid') ?? location.searchParams.get('click_id')!;
}

const pixel = async (offerId: number, query: string) =>
  (await SELF.fetch(`${EDGE}/p/${offerId}.js?${query}`)).text();
const postback = (query: string) => SELF.fetch(`${EDGE}/postback?${query}`);

/** Attacks of an affiliate on the count, each as the issue found it (issue 8). */
describe('who may create a payable conversion', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  const conversions = (offerId: number) => ingest.conversionsOf(offerId);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1200));

  it('refuses pixels on an offer that demands a postback secret, unless the offer allows them', async () => {
    const sha = await sha256Hex(SECRET);
    await publishOfferAndAffiliate(offerConfig({ id: 800, postbackSecretSha256: sha }));
    const clickId = await clickIdFor(800);
    expect(await pixel(800, `click_id=${clickId}&txid=MINTED`)).toContain('conversion_source_refused');
    await publishOfferAndAffiliate(
      offerConfig({ id: 801, postbackSecretSha256: sha, conversionSources: 'postback_and_pixel' }),
    );
    const allowed = await clickIdFor(801);
    expect(await pixel(801, `click_id=${allowed}&txid=OK`)).toContain('accepted');
    await settle();
    expect(conversions(800)()).toEqual([]);
    expect(conversions(801)()).toHaveLength(1);
  });

  it('refuses the source an offer does not take, with a code', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 802, conversionSources: 'pixel' }));
    const clickId = await clickIdFor(802);
    const refused = await postback(`click_id=${clickId}&txid=P`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.code).toBe('conversion_source_refused');
    expect(await pixel(802, `click_id=${clickId}&txid=P`)).toContain('accepted');
  });

  it('records conversions of an affiliate suspended or unapproved after its click as rejected, with why', async () => {
    const privateOffer: Partial<OfferConfigInput> = {
      id: 803,
      visibility: 'private',
      approvedAffiliateIds: [7, 8],
    };
    await publishOfferAndAffiliate(offerConfig(privateOffer), affiliateConfig({ id: 7 }));
    await publishOfferAndAffiliate(offerConfig(privateOffer), affiliateConfig({ id: 8 }));
    const suspended = await clickIdFor(803, 7);
    const unapproved = await clickIdFor(803, 8);
    await publish({
      upsert: {
        offers: [offerConfig({ ...privateOffer, approvedAffiliateIds: [7], revision: 2 })],
        affiliates: [affiliateConfig({ id: 7, status: 'suspended', revision: 2 })],
      },
    });
    const a = await (await postback(`click_id=${suspended}&txid=S1`)).json();
    const b = await (await postback(`click_id=${unapproved}&txid=U1`)).json();
    expect(a).toMatchObject({ status: 'accepted', payable: false, reason: 'affiliate_inactive' });
    expect(b).toMatchObject({ status: 'accepted', payable: false, reason: 'affiliate_not_approved' });
    const stored = await eventually(conversions(803), (e) => e.length >= 2);
    expect(stored.map((e) => [e.txid, e.reason]).sort()).toEqual([
      ['S1', 'affiliate_inactive'],
      ['U1', 'affiliate_not_approved'],
    ]);
  });

  it('does not let a click sent to the fallback earn, even through /r', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 804, status: 'paused' }));
    const registered = (await (
      await SELF.fetch(`${EDGE}/r/804?aff_id=7`, { headers: { 'user-agent': CHROME_WINDOWS } })
    ).json()) as { click_id: string; outcome: string };
    expect(registered.outcome).toBe('fallback');
    // The offer is live again by the time the affiliate fires its pixel.
    await publishOfferAndAffiliate(offerConfig({ id: 804, status: 'active', revision: 2 }));
    expect(await pixel(804, `click_id=${registered.click_id}`)).toContain('accepted');
    const [stored] = await eventually(conversions(804), (e) => e.length >= 1);
    expect(stored?.reason).toBe('click_not_payable');
  });

  it('counts a pixel without txid once per click and event, however often the page reloads', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 805 }));
    const clickId = await clickIdFor(805);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await pixel(805, `click_id=${clickId}`));
    // Nor can an affiliate mint more by varying the txid on one click.
    answers.push(await pixel(805, `click_id=${clickId}&txid=ANOTHER`));
    expect(answers.filter((a) => a.includes('accepted'))).toHaveLength(1);
    expect(await pixel(805, `click_id=${clickId}&event=lead`)).toContain('accepted');
    await settle();
    expect(
      conversions(805)()
        .map((e) => e.event)
        .sort(),
    ).toEqual(['conversion', 'lead']);
  });

  it("does not let an affiliate's pixel pre-claim an order id: the advertiser's postback takes it back", async () => {
    const sha = await sha256Hex(SECRET);
    const offer: Partial<OfferConfigInput> = {
      id: 806,
      postbackSecretSha256: sha,
      conversionSources: 'postback_and_pixel',
    };
    await publishOfferAndAffiliate(offerConfig(offer), affiliateConfig({ id: 7 }));
    await publishOfferAndAffiliate(offerConfig(offer), affiliateConfig({ id: 9 }));
    const attacker = await clickIdFor(806, 9);
    const victim = await clickIdFor(806, 7);
    expect(await pixel(806, `click_id=${attacker}&txid=ORDER-1001`)).toContain('accepted');
    const real = await postback(`click_id=${victim}&txid=ORDER-1001&amount=50&secret=${SECRET}`);
    const body = (await real.json()) as { status: string; conversion_id: string };
    expect(body.status).toBe('accepted');
    // The advertiser's retry is a duplicate of its own conversion, not of the pixel's.
    const retry = await postback(`click_id=${victim}&txid=ORDER-1001&amount=50&secret=${SECRET}`);
    expect(await retry.json()).toEqual({ status: 'duplicate' });
    const stored = await eventually(conversions(806), (e) => e.length >= 2);
    const [minted] = stored.filter((e) => e.affiliateId === 9);
    const [paid] = stored.filter((e) => e.affiliateId === 7);
    expect(paid).toMatchObject({
      id: body.conversion_id,
      supersedes: [{ conversionId: minted!.id, clickId: attacker }],
      reason: null,
    });
    expect(minted!.source).toBe('pixel');
  });

  it('keeps both claims of an order on an offer without a secret, holding the later one for review', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 807 }), affiliateConfig({ id: 7 }));
    await publishOfferAndAffiliate(offerConfig({ id: 807 }), affiliateConfig({ id: 9 }));
    const attacker = await clickIdFor(807, 9);
    const victim = await clickIdFor(807, 7);
    expect(await (await postback(`click_id=${attacker}&txid=ORDER-7`)).json()).toMatchObject({
      status: 'accepted',
    });
    // Not answered "duplicate": the real order of another click is never silently dropped.
    expect(await (await postback(`click_id=${victim}&txid=ORDER-7`)).json()).toMatchObject({
      status: 'accepted',
    });
    const stored: ConversionEvent[] = await eventually(conversions(807), (e) => e.length >= 2);
    const [victims] = stored.filter((e) => e.affiliateId === 7);
    expect(victims?.fraudFlags).toContain('txid_conflict');
  });

  it('holds a conversion on a bot click for review', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 808 }));
    const clickId = await clickIdFor(808, 7, SLACK_PREVIEW);
    expect(await (await postback(`click_id=${clickId}&txid=BOT`)).json()).toMatchObject({
      status: 'accepted',
    });
    const [stored] = await eventually(conversions(808), (e) => e.length >= 1);
    expect(stored?.fraudFlags).toContain('bot_click');
  });

  it('refuses a txid with control characters instead of storing or altering it', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 809 }));
    const clickId = await clickIdFor(809);
    const response = await postback(`click_id=${clickId}&txid=%00`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.code).toBe('invalid_parameter');
    expect(await pixel(809, `click_id=${clickId}&txid=A%00B`)).toContain('invalid_parameter');
    await settle();
    expect(conversions(809)()).toEqual([]);
  });

  it("lets the advertiser's postback replace its own click's pixel figures: the pixel's conversion is rejected", async () => {
    const sha = await sha256Hex(SECRET);
    await publishOfferAndAffiliate(
      offerConfig({ id: 810, postbackSecretSha256: sha, conversionSources: 'postback_and_pixel' }),
    );
    const clickId = await clickIdFor(810);
    // The affiliate's page fires the pixel first, with an amount of its own making.
    expect(await pixel(810, `click_id=${clickId}&txid=ORDER-5&amount=999999`)).toContain('accepted');
    const real = (await (
      await postback(`click_id=${clickId}&txid=ORDER-5&amount=49.90&secret=${SECRET}`)
    ).json()) as { status: string; conversion_id: string };
    expect(real.status).toBe('accepted');
    const stored = await eventually(conversions(810), (e) => e.length >= 2);
    const [fromPixel] = stored.filter((e) => e.source === 'pixel');
    expect(stored.find((e) => e.id === real.conversion_id)).toMatchObject({
      amountMinor: 4990,
      supersedes: [{ conversionId: fromPixel!.id, clickId }],
    });
  });

  it("lets many clicks guessing one order neither block nor steal the advertiser's postback", async () => {
    const sha = await sha256Hex(SECRET);
    const offer: Partial<OfferConfigInput> = {
      id: 811,
      postbackSecretSha256: sha,
      conversionSources: 'postback_and_pixel',
    };
    await publishOfferAndAffiliate(offerConfig(offer), affiliateConfig({ id: 9 }));
    for (let i = 0; i < 18; i++) {
      const guess = await clickIdFor(811, 9);
      expect(await pixel(811, `click_id=${guess}&txid=ORDER-GUESSED`), `guess ${i}`).toContain('accepted');
    }
    await publishOfferAndAffiliate(offerConfig(offer), affiliateConfig({ id: 7 }));
    const victim = await clickIdFor(811, 7);
    const real = (await (
      await postback(`click_id=${victim}&txid=ORDER-GUESSED&secret=${SECRET}`)
    ).json()) as { status: string; conversion_id: string };
    expect(real.status).toBe('accepted');
    const stored = await eventually(conversions(811), (e) => e.some((x) => x.id === real.conversion_id));
    expect(stored.find((e) => e.id === real.conversion_id)?.supersedes.length).toBeGreaterThanOrEqual(16);
  });

  it('marks a status change by a postback the offer cannot authenticate, so it cannot approve what is held for review', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 812 }));
    const clickId = await clickIdFor(812);
    await postback(`click_id=${clickId}&txid=S-1`);
    const change = (await (await postback(`click_id=${clickId}&txid=S-1&status=approved`)).json()) as {
      status_update: string;
    };
    expect(change.status_update).toBe('queued');
    const [update] = await eventually(
      () =>
        ingest
          .eventsOf(812)()
          .filter((e) => e.type === 'conversion_status'),
      (e) => e.length >= 1,
    );
    expect(update).toMatchObject({ status: 'approved', trusted: false });
  });

  it('takes a chargeback that carries a negative amount as the status change it is', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 813 }));
    const clickId = await clickIdFor(813);
    await postback(`click_id=${clickId}&txid=CB-1&amount=20`);
    const chargeback = await postback(
      `click_id=${clickId}&txid=CB-1&status=rejected&amount=-20&currency=XYZ`,
    );
    expect(await chargeback.json()).toMatchObject({ status: 'duplicate', status_update: 'queued' });
    // A new conversion with that amount is still refused.
    const fresh = await postback(`click_id=${clickId}&txid=CB-2&amount=-20`);
    expect(fresh.status).toBe(400);
  });

  it('refuses a txid that is not valid Unicode (a lone surrogate would merge two orders)', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 814 }));
    const clickId = await clickIdFor(814);
    const response = await SELF.fetch(`${EDGE}/postback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"click_id":"${clickId}","txid":"A\\ud800"}`,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.code).toBe('invalid_parameter');
  });

  it('records a pixel with an order id once the Queue is back, after a failed attempt (never "duplicate" of nothing)', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 815 }));
    const clickId = await clickIdFor(815);
    const original = env.EVENTS.send.bind(env.EVENTS);
    const send = vi.spyOn(env.EVENTS, 'send').mockImplementation(async (body, options) => {
      const events = (body as { events?: { type: string }[] }).events ?? [];
      if (events[0]?.type === 'conversion') throw new Error('queue unavailable');
      return original(body, options);
    });
    try {
      expect(await pixel(815, `click_id=${clickId}&txid=P-1`)).toContain('service_unavailable');
    } finally {
      send.mockRestore();
    }
    expect(await pixel(815, `click_id=${clickId}&txid=P-1`)).toContain('accepted');
    await eventually(conversions(815), (e) => e.length >= 1);
  });
});
