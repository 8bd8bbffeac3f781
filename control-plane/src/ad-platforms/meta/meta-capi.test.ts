import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  META_FAKE_TOKEN,
  type MetaFake,
  metaFakeEndpoints,
  startMetaFake,
} from '../../../test/fakes/meta-fake.ts';
import type { ForwardedEvent, SendContext } from '../ad-platform.ts';
import { metaConversionSender } from './meta-capi.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const EMAIL_HASH = sha256('ann@example.com');
const PHONE_HASH = sha256('4915112345678');

describe('Meta Conversions API sender', () => {
  let fake: MetaFake;
  let serial = 0;
  beforeAll(async () => {
    fake = await startMetaFake();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.events.length = 0;
  });

  const context = (overrides: Partial<SendContext> = {}, token = META_FAKE_TOKEN): SendContext => ({
    connection: {
      id: 'conn-1',
      platform: 'meta',
      accountId: '1234',
      loginAccountId: null,
      credentials: { accessToken: token },
    },
    settings: { pixelId: '555000111' },
    testEventCode: null,
    endpoints: metaFakeEndpoints(fake.url),
    apps: {},
    fetch,
    timeoutMs: 5_000,
    ...overrides,
  });

  const event = (overrides: Partial<ForwardedEvent> = {}): ForwardedEvent => {
    serial++;
    return {
      deliveryId: `dlv-${serial}`,
      kind: 'conversion',
      eventId: `order-${serial}`,
      conversionId: `cv-${serial}`,
      eventName: 'Purchase',
      occurredAt: new Date(Date.now() - 3_600_000),
      clickedAt: new Date(Date.now() - 7_200_000),
      valueMinor: 12_345,
      currency: 'EUR',
      txid: `order-${serial}`,
      clickIds: {
        gclid: null,
        gbraid: null,
        wbraid: null,
        fbclid: `IwAR${serial}abc`,
        ttclid: null,
        msclkid: null,
      },
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0',
      country: 'DE',
      consent: 'granted',
      consentMode: { adUserData: null, adPersonalization: null },
      userData: { email: EMAIL_HASH, phone: PHONE_HASH },
      sourceUrl: 'https://shop.example/landing?utm_source=fb',
      ...overrides,
    };
  };
  const events = (count: number) => Array.from({ length: count }, () => event());

  it("sends Meta's server event shape: hashed email, phone and country, ip and user agent in clear, fbc, value", async () => {
    const one = event({
      occurredAt: new Date(Date.UTC(2026, 10, 29, 12, 0, 5, 900)),
      clickedAt: new Date(Date.UTC(2026, 10, 29, 11, 58, 0, 123)),
    });
    const outcomes = await metaConversionSender.send([one], context({ testEventCode: 'TEST4242' }));

    expect(outcomes).toEqual([
      { deliveryId: one.deliveryId, result: 'sent', httpStatus: 200, response: expect.any(String) },
    ]);
    expect(JSON.parse(outcomes[0]?.response ?? '')).toMatchObject({ events_received: 1 });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      version: 'v21.0',
      path: '555000111/events',
      tokenVia: 'body',
    });
    expect(fake.events).toEqual([
      {
        pixelId: '555000111',
        testEventCode: 'TEST4242',
        event: {
          event_name: 'Purchase',
          event_time: Math.floor(Date.UTC(2026, 10, 29, 12, 0, 5) / 1000),
          event_id: one.eventId,
          action_source: 'website',
          event_source_url: 'https://shop.example/landing?utm_source=fb',
          user_data: {
            em: [EMAIL_HASH],
            ph: [PHONE_HASH],
            client_ip_address: '203.0.113.7',
            client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0',
            country: [sha256('de')],
            fbc: `fb.1.${Date.UTC(2026, 10, 29, 11, 58, 0, 123)}.${one.clickIds.fbclid}`,
          },
          custom_data: { value: 123.45, currency: 'EUR', order_id: one.txid },
        },
      },
    ]);
  });

  it('leaves absent fields out instead of sending nulls, and converts values by the currency exponent', async () => {
    const bare = event({
      ip: null,
      userAgent: null,
      country: null,
      sourceUrl: null,
      txid: null,
      valueMinor: null,
      currency: null,
      userData: {},
      clickIds: { gclid: null, gbraid: null, wbraid: null, fbclid: null, ttclid: null, msclkid: null },
    });
    const yen = event({ valueMinor: 1_234, currency: 'JPY' });
    const dinar = event({ valueMinor: 1_005, currency: 'kwd' });
    const outcomes = await metaConversionSender.send(
      [bare, yen, dinar],
      context({ settings: { pixelId: '555000111', eventName: 'Lead' } }),
    );
    expect(outcomes.map((o) => o.result)).toEqual(['sent', 'sent', 'sent']);
    const [first, second, third] = fake.events.map((e) => e.event);
    expect(first).toEqual({
      event_name: 'Lead',
      event_time: Math.floor(bare.occurredAt.getTime() / 1000),
      event_id: bare.eventId,
      action_source: 'website',
      user_data: {},
    });
    expect(second?.custom_data).toEqual({ value: 1234, currency: 'JPY', order_id: yen.txid });
    expect(third?.custom_data).toEqual({ value: 1.005, currency: 'KWD', order_id: dinar.txid });
    expect(fake.requests[0]?.body).not.toHaveProperty('test_event_code');
  });

  it('sends at most 1,000 events a request', async () => {
    const batch = events(2_500);
    const outcomes = await metaConversionSender.send(batch, context());
    expect(metaConversionSender.maxBatchSize).toBe(1_000);
    expect(fake.requests.map((r) => (r.body as { data: unknown[] }).data.length)).toEqual([
      1_000, 1_000, 500,
    ]);
    expect(outcomes.filter((o) => o.result === 'sent')).toHaveLength(2_500);
    expect(new Set(outcomes.map((o) => o.deliveryId))).toEqual(new Set(batch.map((e) => e.deliveryId)));
  });

  it('finds the one event Meta refuses in a batch of 1,000 by halves, parks it and sends the rest in few requests', async () => {
    const batch = events(1_000);
    const bad = batch[613] as ForwardedEvent;
    fake.rejectEventIds([bad.eventId]);
    const outcomes = await metaConversionSender.send(batch, context());

    expect(outcomes).toHaveLength(1_000);
    const rejected = outcomes.filter((o) => o.result === 'rejected');
    expect(rejected.map((o) => o.deliveryId)).toEqual([bad.deliveryId]);
    expect(rejected[0]?.httpStatus).toBe(400);
    expect(JSON.parse(rejected[0]?.response ?? '')).toMatchObject({
      error: { code: 100, error_subcode: 2804050 },
    });
    expect(outcomes.filter((o) => o.result === 'sent')).toHaveLength(999);
    expect(fake.events).toHaveLength(999);
    expect(fake.events.some((e) => e.event.event_id === bad.eventId)).toBe(false);
    expect(fake.requests.length).toBeLessThanOrEqual(21);
  });

  it('parks each of several refused events and sends every other one', async () => {
    const batch = events(100);
    const bad = [batch[0], batch[37], batch[38], batch[99]] as ForwardedEvent[];
    fake.rejectEventIds(bad.map((e) => e.eventId));
    const outcomes = await metaConversionSender.send(batch, context());
    const byResult = (result: string) =>
      outcomes
        .filter((o) => o.result === result)
        .map((o) => o.deliveryId)
        .sort();
    expect(byResult('rejected')).toEqual(bad.map((e) => e.deliveryId).sort());
    expect(byResult('sent')).toHaveLength(96);
    expect(fake.events).toHaveLength(96);
    expect(fake.requests.length).toBeLessThan(40);
  });

  it('gives up taking apart a batch where every event is refused after a bounded number of requests', async () => {
    const batch = events(1_000);
    fake.rejectEventIds(batch.map((e) => e.eventId));
    const outcomes = await metaConversionSender.send(batch, context());
    expect(outcomes).toHaveLength(1_000);
    expect(fake.requests.length).toBeLessThanOrEqual(64);
    expect(outcomes.some((o) => o.result === 'sent')).toBe(false);
    const rejected = outcomes.filter((o) => o.result === 'rejected').length;
    expect(rejected).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.result === 'retry')).toHaveLength(1_000 - rejected);
  });

  it('answers auth_failed for every event when Meta says the token expired (code 190), without bisecting', async () => {
    fake.tokens.add('meta-soon-expired');
    fake.expireToken('meta-soon-expired');
    const outcomes = await metaConversionSender.send(events(5), context({}, 'meta-soon-expired'));
    expect(outcomes.map((o) => o.result)).toEqual(Array(5).fill('auth_failed'));
    expect(fake.requests).toHaveLength(1);
    expect(JSON.parse(outcomes[0]?.response ?? '')).toMatchObject({
      error: { code: 190, error_subcode: 463 },
    });
    expect(outcomes[0]?.response).not.toContain('meta-soon-expired');

    const unknown = await metaConversionSender.send(events(2), context({}, 'never-issued'));
    expect(unknown.map((o) => o.result)).toEqual(['auth_failed', 'auth_failed']);
  });

  it('retries every event after a rate limit, waiting as long as Meta estimates', async () => {
    fake.rateLimitNext(1);
    const plain = await metaConversionSender.send(events(3), context());
    expect(plain.map((o) => [o.result, o.httpStatus, o.retryAfterMs])).toEqual(
      Array(3).fill(['retry', 400, 60_000]),
    );
    expect(fake.requests).toHaveLength(1);

    fake.rateLimitNext(1, { code: 80004, regainAccessMinutes: 5 });
    const business = await metaConversionSender.send(events(2), context());
    expect(business.map((o) => [o.result, o.retryAfterMs])).toEqual(Array(2).fill(['retry', 300_000]));
    expect(fake.events).toHaveLength(0);
  });

  it('retries on a 5xx and when Meta cannot be reached', async () => {
    fake.failNext(1, 503);
    const outage = await metaConversionSender.send(events(2), context());
    expect(outage.map((o) => [o.result, o.httpStatus])).toEqual(Array(2).fill(['retry', 503]));

    const closed = await startMetaFake();
    await closed.close();
    const unreachable = await metaConversionSender.send(
      events(2),
      context({ endpoints: metaFakeEndpoints(closed.url) }),
    );
    expect(unreachable.map((o) => [o.result, o.httpStatus])).toEqual(Array(2).fill(['retry', null]));

    const slow: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const timedOut = await metaConversionSender.send(events(1), context({ fetch: slow, timeoutMs: 50 }));
    expect(timedOut[0]).toMatchObject({ result: 'retry', httpStatus: null, response: 'Meta timed out' });
  });

  it('stops taking a batch apart when Meta starts refusing for another reason, retrying what is not settled', async () => {
    const batch = events(8);
    fake.rejectEventIds([batch[6]?.eventId ?? '']);
    let calls = 0;
    const rateLimitedAfterFirst: typeof fetch = async (input, init) => {
      calls++;
      if (calls === 2) fake.rateLimitNext(1);
      return fetch(input, init);
    };
    const outcomes = await metaConversionSender.send(batch, context({ fetch: rateLimitedAfterFirst }));
    // The whole batch was refused (1), its first half met the rate limit (2): nothing is blamed.
    expect(calls).toBe(2);
    expect(outcomes.map((o) => o.result)).toEqual(Array(8).fill('retry'));
    expect(outcomes.every((o) => o.retryAfterMs === 60_000)).toBe(true);
  });

  it('is deduplicated by Meta when the same events are sent again', async () => {
    const batch = events(3);
    await metaConversionSender.send(batch, context());
    const before = fake.deduped;
    const again = await metaConversionSender.send(batch, context());
    expect(again.map((o) => o.result)).toEqual(['sent', 'sent', 'sent']);
    expect(fake.events).toHaveLength(3);
    expect(fake.deduped - before).toBe(3);
  });

  it('parks events Meta would refuse anyway without sending them: older than 7 days, retractions, no pixel', async () => {
    const old = event({ occurredAt: new Date(Date.now() - 8 * 24 * 3_600_000) });
    const retraction = event({ kind: 'retraction' });
    const fresh = event();
    const outcomes = await metaConversionSender.send([old, retraction, fresh], context());
    const result = (id: string) => outcomes.find((o) => o.deliveryId === id);
    expect(result(old.deliveryId)).toMatchObject({ result: 'rejected', httpStatus: null });
    expect(result(retraction.deliveryId)).toMatchObject({ result: 'rejected', httpStatus: null });
    expect(result(fresh.deliveryId)).toMatchObject({ result: 'sent' });
    expect(fake.requests.map((r) => (r.body as { data: unknown[] }).data.length)).toEqual([1]);

    fake.requests.length = 0;
    const noPixel = await metaConversionSender.send(events(2), context({ settings: {} }));
    expect(noPixel.map((o) => o.result)).toEqual(['rejected', 'rejected']);
    expect(fake.requests).toHaveLength(0);
  });

  it('takes only clicks with an fbclid and no retractions', () => {
    const ids = { gclid: null, gbraid: null, wbraid: null, fbclid: null, ttclid: null, msclkid: null };
    expect(metaConversionSender.needsClickId({ ...ids, fbclid: 'IwAR1' })).toBe(true);
    expect(metaConversionSender.needsClickId({ ...ids, gclid: 'Cj0' })).toBe(false);
    expect(metaConversionSender.acceptsRetractions).toBe(false);
  });
});
