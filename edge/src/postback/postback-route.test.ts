import { SELF } from 'cloudflare:test';
import { createClickIdCodec } from '@tas/shared/click-id';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  click,
  EDGE,
  type ErrorBody,
  offerConfig,
  publish,
  publishOfferAndAffiliate,
} from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import { TEST_CLICK_ID_KEYS } from '../../test/test-secrets.ts';

const codec = createClickIdCodec(TEST_CLICK_ID_KEYS);

async function clickIdFor(offerId: number): Promise<string> {
  const response = await click(`/c/${offerId}?aff_id=7`);
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!).searchParams.get('cid')!;
}

function postback(query: string, init?: RequestInit) {
  return SELF.fetch(`${EDGE}/postback?${query}`, init);
}

describe('/postback', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('accepts a GET postback with the click id from a redirect and queues the conversion', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 30 }));
    const clickId = await clickIdFor(30);
    const response = await postback(`click_id=${clickId}&amount=12.50&txid=ORD-1&event=lead`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; conversion_id: string };
    expect(body).toEqual({ status: 'accepted', conversion_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const conversions = await eventually(
      () =>
        ingest
          .eventsOf(30)()
          .filter((e) => e.type === 'conversion'),
      (e) => e.length >= 1,
    );
    expect(conversions).toEqual([
      expect.objectContaining({
        id: body.conversion_id,
        clickId,
        offerId: 30,
        affiliateId: 7,
        event: 'lead',
        amountMinor: 1250,
        currency: 'USD',
        txid: 'ORD-1',
        source: 'postback',
      }),
    ]);
  });

  it("hashes the buyer's email and phone at the edge: only the hashes are queued", async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 31 }));
    const clickId = await clickIdFor(31);
    const response = await postback(
      `click_id=${clickId}&txid=ORD-H&email=${encodeURIComponent(' Ann.Lee@GMAIL.com')}&phone=${encodeURIComponent('+44 20 7946 0958')}`,
    );
    expect(response.status).toBe(200);
    const [conversion] = await eventually(
      () =>
        ingest
          .eventsOf(31)()
          .filter((e) => e.type === 'conversion'),
      (e) => e.length >= 1,
    );
    const sha = async (s: string) =>
      [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)))]
        .map((b) => b.toString(16).padStart(2, '0'))
        .join('');
    expect(conversion).toMatchObject({
      customerHashes: {
        email: await sha('ann.lee@gmail.com'),
        emailGoogle: await sha('annlee@gmail.com'),
        phone: await sha('442079460958'),
        phoneE164: await sha('+442079460958'),
      },
    });
    const queued = JSON.stringify(conversion);
    expect(queued).not.toMatch(/ann\.lee|7946/i);
  });

  it('takes the aliases of TUNE and Everflow, POST forms and JSON bodies, and the default event', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 31 }));
    await publish({ network: { revision: 1, exchangeRates: [{ from: 'EUR', to: 'USD', rate: '1.1' }] } });
    const clickId = await clickIdFor(31);
    const get = await postback(`transaction_id=${clickId}&sale_amount=3&adv_sub=A1`);
    expect(get.status).toBe(200);
    const form = await SELF.fetch(`${EDGE}/postback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `click_id=${clickId}&order_id=A2&amount=1.5&currency=eur`,
    });
    expect(form.status).toBe(200);
    const json = await SELF.fetch(`${EDGE}/postback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ click_id: clickId, txid: 'A3', amount: 7 }),
    });
    expect(json.status).toBe(200);
    const conversions = await eventually(
      ingest.eventsOf(31),
      (e) => e.filter((x) => x.type === 'conversion').length >= 3,
    );
    const summary = conversions
      .flatMap((e) =>
        e.type === 'conversion'
          ? [[e.txid, e.event, e.amountMinor, e.currency, e.sentAmountMinor, e.sentCurrency]]
          : [],
      )
      .sort();
    // 1.50 EUR is converted by the configured rate into the offer's currency: 1.65 USD.
    expect(summary).toEqual([
      ['A1', 'conversion', 300, 'USD', null, null],
      ['A2', 'conversion', 165, 'USD', 150, 'EUR'],
      ['A3', 'conversion', 700, 'USD', null, null],
    ]);
  });

  it('refuses a sale in a currency it has no rate for, and negative or absurd amounts, with a code', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 39 }));
    await publish({ network: { revision: 2, exchangeRates: [] } });
    const clickId = await clickIdFor(39);
    const answers = [
      ['amount=10000&currency=JPY&txid=Y', 422, 'unsupported_currency'],
      ['amount=-5&txid=N', 400, 'invalid_amount'],
      ['amount=1000000000000.01&txid=B', 400, 'invalid_amount'],
      ['amount=1e3&txid=E', 400, 'invalid_amount'],
    ] as const;
    for (const [query, status, code] of answers) {
      const response = await postback(`click_id=${clickId}&${query}`);
      expect(response.status, query).toBe(status);
      expect(((await response.json()) as ErrorBody).error.code, query).toBe(code);
    }
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(ingest.conversionsOf(39)()).toEqual([]);
  });

  it('answers a retried postback with the same txid as a duplicate and queues it once', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 32 }));
    const clickId = await clickIdFor(32);
    const first = await (await postback(`click_id=${clickId}&txid=T`)).json();
    expect(first).toMatchObject({ status: 'accepted' });
    expect(await (await postback(`click_id=${clickId}&txid=T`)).json()).toEqual({ status: 'duplicate' });
    expect(await (await postback(`click_id=${clickId}&txid=T&event=lead`)).json()).toMatchObject({
      status: 'accepted',
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const conversions = ingest
      .eventsOf(32)()
      .filter((e) => e.type === 'conversion');
    expect(conversions.map((e) => (e.type === 'conversion' ? e.event : null)).sort()).toEqual([
      'conversion',
      'lead',
    ]);
  });

  it('queues a status change when the advertiser posts a counted conversion again with a status', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 37 }));
    const clickId = await clickIdFor(37);
    const first = await (await postback(`click_id=${clickId}&txid=ORD-9&status=pending`)).json();
    expect(first).toMatchObject({ status: 'accepted' });
    const { conversion_id } = first as { conversion_id: string };

    // Without a status, a repeat is only a duplicate; with one, the change is queued (retries too).
    expect(await (await postback(`click_id=${clickId}&txid=ORD-9`)).json()).toEqual({ status: 'duplicate' });
    for (let i = 0; i < 2; i++) {
      expect(await (await postback(`click_id=${clickId}&txid=ORD-9&status=Approved`)).json()).toEqual({
        status: 'duplicate',
        conversion_id,
        status_update: 'queued',
        status_update_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    }
    const bad = await postback(`click_id=${clickId}&txid=ORD-9&status=paid`);
    expect(bad.status).toBe(400);

    const updates = await eventually(
      () =>
        ingest
          .eventsOf(37)()
          .filter((e) => e.type === 'conversion_status'),
      (e) => e.length >= 2,
    );
    expect(updates).toEqual([
      expect.objectContaining({ conversionId: conversion_id, offerId: 37, status: 'approved' }),
      expect.objectContaining({ conversionId: conversion_id, offerId: 37, status: 'approved' }),
    ]);
    // Each is a change of its own (applying the same status twice changes nothing), so that an
    // approval after a chargeback is never mistaken for the first approval.
    expect(new Set(updates.map((u) => u.id)).size).toBe(2);
    expect(
      ingest
        .eventsOf(37)()
        .filter((e) => e.type === 'conversion'),
    ).toHaveLength(1);
  });

  it('takes a late status change of a conversion counted in time, and refuses a new conversion out of the window', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 38, attributionWindowHours: 720 }));
    const clickId = await codec.sign({
      offerId: 38,
      affiliateId: 7,
      clickedAt: new Date(Date.now() - 2 * 3_600_000),
    });
    expect(
      (await (await postback(`click_id=${clickId}&txid=LATE-1&status=pending`)).json()) as object,
    ).toMatchObject({
      status: 'accepted',
    });
    // The window shrinks to 1 h: the click is now out of it.
    await publishOfferAndAffiliate(offerConfig({ id: 38, attributionWindowHours: 1 }));
    const chargeback = await postback(`click_id=${clickId}&txid=LATE-1&status=rejected`);
    expect(await chargeback.json()).toMatchObject({ status: 'duplicate', status_update: 'queued' });
    for (let i = 0; i < 2; i++) {
      // Refused, and the refusal keeps no dedupe claim: asking again is refused the same way.
      const fresh = await postback(`click_id=${clickId}&txid=LATE-2`);
      expect(fresh.status).toBe(422);
      expect(((await fresh.json()) as ErrorBody).error.code).toBe('attribution_window_expired');
    }
  });

  it('answers each bad postback with its status and code', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 33, attributionWindowHours: 1 }));
    const clickId = await clickIdFor(33);
    const old = await codec.sign({
      offerId: 33,
      affiliateId: 7,
      clickedAt: new Date(Date.now() - 2 * 3_600_000),
    });
    const forged = `${clickId.slice(0, 20)}${clickId[20] === 'A' ? 'B' : 'A'}${clickId.slice(21)}`;
    const unknownOffer = await codec.sign({ offerId: 4040, affiliateId: 7, clickedAt: new Date() });
    const cases: [string, number, string][] = [
      ['', 400, 'invalid_click_id'],
      ['click_id=abc', 400, 'invalid_click_id'],
      [`click_id=${forged}`, 400, 'invalid_click_id'],
      [`click_id=${clickId.slice(0, 40)}`, 400, 'invalid_click_id'],
      [`click_id=${clickId}%ff%fe`, 400, 'invalid_click_id'],
      [`click_id=${unknownOffer}`, 404, 'unknown_offer'],
      [`click_id=${clickId}&event=refund`, 422, 'unknown_event'],
      [`click_id=${old}`, 422, 'attribution_window_expired'],
      [`click_id=${clickId}&amount=1.234`, 400, 'invalid_amount'],
      [`click_id=${clickId}&amount=abc`, 400, 'invalid_amount'],
      [`click_id=${clickId}&currency=dollars`, 400, 'invalid_parameter'],
      [`click_id=${clickId}&status=maybe`, 400, 'invalid_parameter'],
      [`click_id=${clickId}&txid=${'x'.repeat(2000)}`, 400, 'invalid_parameter'],
    ];
    for (const [query, status, code] of cases) {
      const response = await postback(query);
      expect(response.status, query).toBe(status);
      expect(((await response.json()) as ErrorBody).error.code, query).toBe(code);
    }
    const badJson = await SELF.fetch(`${EDGE}/postback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"click_id":',
    });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as ErrorBody).error.code).toBe('invalid_body');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(
      ingest
        .eventsOf(33)()
        .filter((e) => e.type === 'conversion'),
    ).toEqual([]);
  });

  it('demands the postback secret when the offer has one', async () => {
    const secret = 'adv-secret-123';
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
    const sha = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    await publishOfferAndAffiliate(offerConfig({ id: 34, postbackSecretSha256: sha }));
    const clickId = await clickIdFor(34);
    expect((await postback(`click_id=${clickId}`)).status).toBe(401);
    expect((await postback(`click_id=${clickId}&secret=wrong`)).status).toBe(401);
    expect((await postback(`click_id=${clickId}&secret=${secret}`)).status).toBe(200);
    const header = await postback(`click_id=${clickId}&txid=h`, {
      headers: { 'x-tas-postback-secret': secret },
    });
    expect(header.status).toBe(200);
  });
});
