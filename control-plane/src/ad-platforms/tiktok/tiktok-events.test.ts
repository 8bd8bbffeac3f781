import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startTikTokFake,
  TIKTOK_FAKE_ACCESS_TOKEN,
  TIKTOK_FAKE_ADVERTISER_ID,
  TIKTOK_FAKE_PIXEL_CODE,
  type TikTokFake,
} from '../../../test/fakes/tiktok-fake.ts';
import type { AdPlatformEndpoints, ForwardedEvent, SendContext } from '../ad-platform.ts';
import { tiktokConversionSender } from './tiktok-events.ts';

const EMAIL_HASH = 'a'.repeat(64);
const PHONE_E164_HASH = 'b'.repeat(64);
const PHONE_DIGITS_HASH = 'c'.repeat(64);

let counter = 0;
function conversion(overrides: Partial<ForwardedEvent> = {}): ForwardedEvent {
  counter += 1;
  return {
    deliveryId: `delivery-${counter}`,
    kind: 'conversion',
    eventId: `order-${counter}`,
    conversionId: `conv-${counter}`,
    eventName: 'CompletePayment',
    occurredAt: new Date('2026-11-20T10:15:30.750Z'),
    clickedAt: new Date('2026-11-20T09:00:00Z'),
    valueMinor: 12_345,
    currency: 'USD',
    txid: `order-${counter}`,
    clickIds: {
      gclid: null,
      gbraid: null,
      wbraid: null,
      fbclid: null,
      ttclid: `ttclid-${counter}`,
      msclkid: null,
    },
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (test)',
    country: 'US',
    consent: 'granted',
    consentMode: { adUserData: null, adPersonalization: null },
    userData: { email: EMAIL_HASH, phone: PHONE_DIGITS_HASH, phoneE164: PHONE_E164_HASH },
    sourceUrl: 'https://shop.example/landing',
    ...overrides,
  };
}

describe('TikTok Events API 2.0 sender', () => {
  let fake: TikTokFake;
  let context: SendContext;
  beforeAll(async () => {
    fake = await startTikTokFake();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    context = {
      connection: {
        id: 'conn-1',
        platform: 'tiktok',
        accountId: TIKTOK_FAKE_ADVERTISER_ID,
        loginAccountId: null,
        credentials: { accessToken: TIKTOK_FAKE_ACCESS_TOKEN },
      },
      settings: { pixelCode: TIKTOK_FAKE_PIXEL_CODE },
      testEventCode: null,
      endpoints: { tiktokUrl: fake.url } as AdPlatformEndpoints,
      apps: {},
      fetch,
      timeoutMs: 5_000,
    };
  });

  it('sends a web event in the documented shape, with the token in Access-Token', async () => {
    const event = conversion();
    const before = fake.requests.length;
    const outcomes = await tiktokConversionSender.send([event], { ...context, testEventCode: 'TEST123' });
    expect(outcomes).toEqual([
      expect.objectContaining({ deliveryId: event.deliveryId, result: 'sent', httpStatus: 200 }),
    ]);
    const request = fake.requests[before];
    expect(request?.path).toBe('/open_api/v1.3/event/track/');
    expect(request?.accessToken).toBe(TIKTOK_FAKE_ACCESS_TOKEN);
    expect(request?.body).toEqual({
      event_source: 'web',
      event_source_id: TIKTOK_FAKE_PIXEL_CODE,
      test_event_code: 'TEST123',
      data: [
        {
          event: 'CompletePayment',
          event_time: Math.floor(Date.parse('2026-11-20T10:15:30Z') / 1000),
          event_id: event.eventId,
          user: {
            ttclid: event.clickIds.ttclid,
            email: EMAIL_HASH,
            phone: PHONE_E164_HASH,
            ip: '203.0.113.7',
            user_agent: 'Mozilla/5.0 (test)',
          },
          properties: { value: 123.45, currency: 'USD', order_id: event.txid, content_type: 'product' },
          page: { url: 'https://shop.example/landing' },
        },
      ],
    });
    expect(fake.events().find((e) => e.event.event_id === event.eventId)?.testEventCode).toBe('TEST123');
  });

  it("uses the destination's event name, and leaves out what the conversion does not have", async () => {
    const event = conversion({
      valueMinor: null,
      currency: null,
      txid: null,
      ip: null,
      userAgent: null,
      userData: {},
      sourceUrl: null,
    });
    await tiktokConversionSender.send([event], {
      ...context,
      settings: { pixelCode: TIKTOK_FAKE_PIXEL_CODE, eventName: 'PlaceAnOrder' },
    });
    const sent = fake.events().find((e) => e.event.event_id === event.eventId)?.event;
    expect(sent).toEqual({
      event: 'PlaceAnOrder',
      event_time: expect.any(Number),
      event_id: event.eventId,
      user: { ttclid: event.clickIds.ttclid },
      properties: { content_type: 'product' },
    });
  });

  it('sends a value in a currency without decimals as whole units', async () => {
    const event = conversion({ valueMinor: 4_500, currency: 'JPY' });
    await tiktokConversionSender.send([event], context);
    const sent = fake.events().find((e) => e.event.event_id === event.eventId)?.event;
    expect(sent?.properties).toMatchObject({ value: 4500, currency: 'JPY' });
  });

  it('finds the bad events of a refused batch by halving it and sends the rest', async () => {
    const events = Array.from({ length: 9 }, () => conversion());
    fake.refuseEvent(events[2]!.eventId);
    fake.refuseEvent(events[7]!.eventId);
    const before = fake.requests.length;
    const outcomes = await tiktokConversionSender.send(events, context);
    const byDelivery = new Map(outcomes.map((o) => [o.deliveryId, o]));
    expect(outcomes).toHaveLength(9);
    for (const [i, e] of events.entries()) {
      expect(byDelivery.get(e.deliveryId)?.result).toBe(i === 2 || i === 7 ? 'rejected' : 'sent');
    }
    expect(byDelivery.get(events[2]!.deliveryId)?.response).toContain('40001');
    const recorded = new Set(fake.events().map((e) => e.event.event_id));
    expect(events.filter((e) => recorded.has(e.eventId))).toHaveLength(7);
    // [0-8] -> [0-4] -> [0-2] -> [0-1] ok, [2] bad; [3-4] ok; [5-8] -> [5-6] ok, [7-8] -> [7] bad, [8] ok.
    expect(fake.requests.length - before).toBe(11);
  });

  it('counts an event sent twice once, as TikTok dedupes on event_id per pixel', async () => {
    const event = conversion();
    await tiktokConversionSender.send([event], context);
    const again = await tiktokConversionSender.send([{ ...event, deliveryId: 'delivery-again' }], context);
    expect(again[0]?.result).toBe('sent');
    expect(fake.events().filter((e) => e.event.event_id === event.eventId)).toHaveLength(1);
  });

  it('answers auth_failed for an expired or revoked token', async () => {
    const expired = await tiktokConversionSender.send([conversion()], {
      ...context,
      connection: { ...context.connection, credentials: { accessToken: 'expired-token' } },
    });
    expect(expired[0]).toMatchObject({ result: 'auth_failed', httpStatus: 200 });
    expect(expired[0]?.response).toContain('40105');
    expect(expired[0]?.response).not.toContain('expired-token');

    const fakeWithExpiry = await startTikTokFake();
    try {
      fakeWithExpiry.expireToken();
      const outcomes = await tiktokConversionSender.send([conversion()], {
        ...context,
        endpoints: { tiktokUrl: fakeWithExpiry.url } as AdPlatformEndpoints,
      });
      expect(outcomes[0]?.result).toBe('auth_failed');
      expect(outcomes[0]?.response).toContain('40102');
    } finally {
      await fakeWithExpiry.close();
    }
  });

  it('answers retry for the rate limit, a system error code, an HTTP 5xx and no answer at all', async () => {
    fake.rateLimitNext(1);
    expect((await tiktokConversionSender.send([conversion()], context))[0]).toMatchObject({
      result: 'retry',
    });
    fake.failNext(1, 'code_50000');
    expect((await tiktokConversionSender.send([conversion()], context))[0]).toMatchObject({
      result: 'retry',
    });
    fake.failNext(1, 'http_500');
    expect((await tiktokConversionSender.send([conversion()], context))[0]).toMatchObject({
      result: 'retry',
      httpStatus: 500,
    });
    const unreachable = await tiktokConversionSender.send([conversion()], {
      ...context,
      endpoints: { tiktokUrl: 'http://127.0.0.1:9' } as AdPlatformEndpoints,
    });
    expect(unreachable[0]).toMatchObject({ result: 'retry', httpStatus: null });
  });

  it('stops halving a batch where every event is bad and leaves the undecided ones for later', async () => {
    const events = Array.from({ length: 200 }, () => conversion());
    for (const e of events) fake.refuseEvent(e.eventId);
    const before = fake.requests.length;
    const outcomes = await tiktokConversionSender.send(events, context);
    expect(outcomes).toHaveLength(200);
    expect(fake.requests.length - before).toBe(64);
    const results = new Set(outcomes.map((o) => o.result));
    expect(results).toEqual(new Set(['rejected', 'retry']));
  });

  it('rejects retractions and conversions without a pixel code without calling TikTok', async () => {
    const before = fake.requests.length;
    const retraction = conversion({ kind: 'retraction' });
    const outcomes = await tiktokConversionSender.send([retraction, conversion()], {
      ...context,
      settings: {},
    });
    expect(outcomes.map((o) => o.result)).toEqual(['rejected', 'rejected']);
    expect(fake.requests.length).toBe(before);
  });

  it('needs a ttclid', () => {
    const ids = conversion().clickIds;
    expect(tiktokConversionSender.needsClickId(ids)).toBe(true);
    expect(tiktokConversionSender.needsClickId({ ...ids, ttclid: null })).toBe(false);
  });
});
