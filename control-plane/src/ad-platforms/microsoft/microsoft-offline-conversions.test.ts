import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MICROSOFT_FAKE_ACCESS_TOKEN,
  MICROSOFT_FAKE_ACCOUNT_ID,
  MICROSOFT_FAKE_CONVERSION_NAME,
  MICROSOFT_FAKE_CUSTOMER_ID,
  MICROSOFT_FAKE_DEVELOPER_TOKEN,
  type MicrosoftFake,
  startMicrosoftFake,
} from '../../../test/fakes/microsoft-fake.ts';
import type { AdPlatformEndpoints, ForwardedEvent, SendContext } from '../ad-platform.ts';
import { microsoftConversionSender } from './microsoft-offline-conversions.ts';

const EMAIL_HASH = 'd'.repeat(64);
const PHONE_E164_HASH = 'e'.repeat(64);

let counter = 0;
function conversion(overrides: Partial<ForwardedEvent> = {}): ForwardedEvent {
  counter += 1;
  return {
    deliveryId: `delivery-${counter}`,
    kind: 'conversion',
    eventId: `order-${counter}`,
    conversionId: `conv-${counter}`,
    eventName: 'Purchase',
    occurredAt: new Date(Date.UTC(2026, 10, 20, 10, 15, 30, 750) + counter * 1000),
    clickedAt: new Date('2026-11-20T09:00:00Z'),
    valueMinor: 12_345,
    currency: 'EUR',
    txid: `order-${counter}`,
    clickIds: {
      gclid: null,
      gbraid: null,
      wbraid: null,
      fbclid: null,
      ttclid: null,
      msclkid: `msclkid${counter}`,
    },
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (test)',
    country: 'DE',
    consent: 'granted',
    consentMode: { adUserData: null, adPersonalization: null },
    userData: { email: EMAIL_HASH, phone: 'f'.repeat(64), phoneE164: PHONE_E164_HASH },
    sourceUrl: null,
    ...overrides,
  };
}

describe('Microsoft Advertising offline conversions', () => {
  let fake: MicrosoftFake;
  let context: SendContext;
  beforeAll(async () => {
    fake = await startMicrosoftFake();
    context = {
      connection: {
        id: 'conn-1',
        platform: 'microsoft',
        accountId: MICROSOFT_FAKE_ACCOUNT_ID,
        loginAccountId: MICROSOFT_FAKE_CUSTOMER_ID,
        credentials: { accessToken: MICROSOFT_FAKE_ACCESS_TOKEN },
      },
      settings: { conversionName: MICROSOFT_FAKE_CONVERSION_NAME },
      testEventCode: null,
      endpoints: { microsoftAdsUrl: fake.url } as AdPlatformEndpoints,
      apps: {
        microsoft: { clientId: 'c', clientSecret: 's', developerToken: MICROSOFT_FAKE_DEVELOPER_TOKEN },
      },
      fetch,
      timeoutMs: 5_000,
    };
  });
  afterAll(() => fake.close());

  it('applies offline conversions in the documented shape with the four headers', async () => {
    const event = conversion();
    const before = fake.requests.length;
    const outcomes = await microsoftConversionSender.send([event], context);
    expect(outcomes).toEqual([
      expect.objectContaining({ deliveryId: event.deliveryId, result: 'sent', httpStatus: 200 }),
    ]);
    const request = fake.requests[before];
    expect(request).toMatchObject({
      method: 'POST',
      path: '/CampaignManagement/v13/OfflineConversions/Apply',
      headers: {
        authorization: `Bearer ${MICROSOFT_FAKE_ACCESS_TOKEN}`,
        developertoken: MICROSOFT_FAKE_DEVELOPER_TOKEN,
        customerid: MICROSOFT_FAKE_CUSTOMER_ID,
        customeraccountid: MICROSOFT_FAKE_ACCOUNT_ID,
      },
    });
    expect(request?.body).toEqual({
      OfflineConversions: [
        {
          ConversionName: MICROSOFT_FAKE_CONVERSION_NAME,
          ConversionTime: event.occurredAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          ConversionValue: 123.45,
          ConversionCurrencyCode: 'EUR',
          MicrosoftClickId: event.clickIds.msclkid,
          HashedEmailAddress: EMAIL_HASH,
          HashedPhoneNumber: PHONE_E164_HASH,
        },
      ],
    });
    expect(
      fake.conversions().filter((c) => c.conversion.MicrosoftClickId === event.clickIds.msclkid),
    ).toHaveLength(1);
  });

  it('leaves the value out when the conversion has none, so the goal default applies', async () => {
    const event = conversion({ valueMinor: null, currency: null, userData: {} });
    await microsoftConversionSender.send([event], context);
    expect(
      fake.conversions().find((c) => c.conversion.MicrosoftClickId === event.clickIds.msclkid)?.conversion,
    ).toEqual({
      ConversionName: MICROSOFT_FAKE_CONVERSION_NAME,
      ConversionTime: expect.any(String),
      MicrosoftClickId: event.clickIds.msclkid,
    });
  });

  it('rejects the events Microsoft names by index in PartialErrors and counts the rest as sent', async () => {
    const events = [conversion(), conversion(), conversion(), conversion()];
    fake.refuseClickId(events[1]!.clickIds.msclkid!);
    fake.refuseClickId(events[3]!.clickIds.msclkid!);
    const outcomes = await microsoftConversionSender.send(events, context);
    expect(outcomes.map((o) => [o.deliveryId, o.result])).toEqual([
      [events[0]!.deliveryId, 'sent'],
      [events[1]!.deliveryId, 'rejected'],
      [events[2]!.deliveryId, 'sent'],
      [events[3]!.deliveryId, 'rejected'],
    ]);
    expect(outcomes[1]?.response).toContain('OfflineConversionMicrosoftClickIdInvalid');
    expect(outcomes[1]?.response).toContain('"Index":1');
    expect(outcomes[3]?.response).toContain('"Index":3');
  });

  it('rejects all when the goal name is unknown, each by its own index', async () => {
    const events = [conversion(), conversion()];
    const outcomes = await microsoftConversionSender.send(events, {
      ...context,
      settings: { conversionName: 'No Such Goal' },
    });
    expect(outcomes.map((o) => o.result)).toEqual(['rejected', 'rejected']);
    expect(outcomes[0]?.response).toContain('OfflineConversionNameInvalid');
  });

  it('retracts a conversion sent earlier by its goal, click id and original time', async () => {
    const event = conversion();
    await microsoftConversionSender.send([event], context);
    const before = fake.requests.length;
    const retraction = { ...event, deliveryId: 'retraction-1', kind: 'retraction' as const };
    const outcomes = await microsoftConversionSender.send([retraction], context);
    expect(outcomes).toEqual([expect.objectContaining({ deliveryId: 'retraction-1', result: 'sent' })]);
    const request = fake.requests[before];
    expect(request?.path).toBe('/CampaignManagement/v13/OfflineConversionAdjustments/Apply');
    const body = request?.body as { OfflineConversionAdjustments: Record<string, unknown>[] };
    expect(body.OfflineConversionAdjustments).toEqual([
      {
        AdjustmentType: 'Retract',
        AdjustmentTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        ConversionName: MICROSOFT_FAKE_CONVERSION_NAME,
        ConversionTime: event.occurredAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        MicrosoftClickId: event.clickIds.msclkid,
      },
    ]);
    expect(
      fake.conversions().find((c) => c.conversion.MicrosoftClickId === event.clickIds.msclkid)?.retracted,
    ).toBe(true);
  });

  it('sends conversions and retractions of one batch in their two operations', async () => {
    const sentBefore = conversion();
    await microsoftConversionSender.send([sentBefore], context);
    const fresh = conversion();
    const before = fake.requests.length;
    const outcomes = await microsoftConversionSender.send(
      [{ ...sentBefore, deliveryId: 'retraction-2', kind: 'retraction' }, fresh],
      context,
    );
    expect(new Map(outcomes.map((o) => [o.deliveryId, o.result]))).toEqual(
      new Map([
        ['retraction-2', 'sent'],
        [fresh.deliveryId, 'sent'],
      ]),
    );
    expect(fake.requests.slice(before).map((r) => r.path)).toEqual([
      '/CampaignManagement/v13/OfflineConversions/Apply',
      '/CampaignManagement/v13/OfflineConversionAdjustments/Apply',
    ]);
  });

  it('answers auth_failed for an expired or invalid token, without the token in the response', async () => {
    const invalid = await microsoftConversionSender.send([conversion()], {
      ...context,
      connection: { ...context.connection, credentials: { accessToken: 'tok-5e4d3c2b1a' } },
    });
    expect(invalid[0]).toMatchObject({ result: 'auth_failed', httpStatus: 401 });
    expect(invalid[0]?.response).toContain('InvalidCredentials');
    expect(invalid[0]?.response).not.toContain('tok-5e4d3c2b1a');

    const other = await startMicrosoftFake();
    try {
      other.expireToken();
      const expired = await microsoftConversionSender.send([conversion()], {
        ...context,
        endpoints: { microsoftAdsUrl: other.url } as AdPlatformEndpoints,
      });
      expect(expired[0]?.result).toBe('auth_failed');
      expect(expired[0]?.response).toContain('AuthenticationTokenExpired');
    } finally {
      await other.close();
    }
  });

  it('answers retry for CallRateExceeded whatever its HTTP status, an internal error and no answer', async () => {
    fake.rateLimitNext(1);
    const limited = await microsoftConversionSender.send([conversion()], context);
    expect(limited[0]).toMatchObject({ result: 'retry', httpStatus: 400 });
    expect(limited[0]?.response).toContain('CallRateExceeded');
    fake.failNext(1);
    expect((await microsoftConversionSender.send([conversion()], context))[0]).toMatchObject({
      result: 'retry',
      httpStatus: 500,
    });
    const unreachable = await microsoftConversionSender.send([conversion()], {
      ...context,
      endpoints: { microsoftAdsUrl: 'http://127.0.0.1:9' } as AdPlatformEndpoints,
    });
    expect(unreachable[0]).toMatchObject({ result: 'retry', httpStatus: null });
  });

  it('rejects without calling Microsoft when the goal name, customer id or developer token is missing', async () => {
    const before = fake.requests.length;
    const noGoal = await microsoftConversionSender.send([conversion()], { ...context, settings: {} });
    const noCustomer = await microsoftConversionSender.send([conversion()], {
      ...context,
      connection: { ...context.connection, loginAccountId: null },
    });
    const noApp = await microsoftConversionSender.send([conversion()], { ...context, apps: {} });
    expect([noGoal, noCustomer, noApp].map((o) => o[0]?.result)).toEqual([
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(noCustomer[0]?.response).toContain('customer id');
    expect(fake.requests.length).toBe(before);
  });

  it('needs an msclkid', () => {
    const ids = conversion().clickIds;
    expect(microsoftConversionSender.needsClickId(ids)).toBe(true);
    expect(microsoftConversionSender.needsClickId({ ...ids, msclkid: null })).toBe(false);
  });
});
