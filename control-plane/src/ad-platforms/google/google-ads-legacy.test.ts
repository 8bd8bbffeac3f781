import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GoogleFake, startGoogleFake } from '../../../test/fakes/google-fake.ts';
import type { AdPlatformEndpoints, ForwardedEvent, SendContext } from '../ad-platform.ts';
import { googleAdsDateTime, googleAdsLegacySender } from './google-ads-legacy.ts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

let fake: GoogleFake;
beforeEach(async () => {
  fake = await startGoogleFake();
});
afterEach(() => fake.close());

function contextFor(overrides: Partial<SendContext> = {}): SendContext {
  return {
    connection: {
      id: 'conn_1',
      platform: 'google',
      accountId: '1234567890',
      loginAccountId: '999-888-7777',
      credentials: { accessToken: fake.accessToken },
    },
    settings: { conversionActionId: '777', api: 'legacy_upload' },
    testEventCode: null,
    endpoints: { ...fake.endpoints } as unknown as AdPlatformEndpoints,
    apps: { google: fake.app },
    fetch,
    timeoutMs: 5_000,
    ...overrides,
  };
}

function eventOf(n: number, overrides: Partial<ForwardedEvent> = {}): ForwardedEvent {
  return {
    deliveryId: `del_${n}`,
    kind: 'conversion',
    eventId: `order-${n}`,
    conversionId: `conv_${n}`,
    eventName: 'purchase',
    occurredAt: new Date(Date.UTC(2026, 0, 5, 7, 8, 9, 999)),
    clickedAt: new Date(Date.UTC(2026, 0, 4, 9, 0, 0)),
    valueMinor: 4_250,
    currency: 'EUR',
    txid: `order-${n}`,
    clickIds: { gclid: `gclid-${n}`, gbraid: null, wbraid: null, fbclid: null, ttclid: null, msclkid: null },
    ip: null,
    userAgent: null,
    country: 'DE',
    consent: 'granted',
    consentMode: { adUserData: null, adPersonalization: null },
    userData: { emailGoogle: sha256('janedoe@gmail.com') },
    sourceUrl: null,
    ...overrides,
  };
}

describe('googleAdsLegacySender', () => {
  it('uploads click conversions in Google Ads REST shape with the developer token and login customer id', async () => {
    const outcomes = await googleAdsLegacySender.send(
      [
        eventOf(1),
        eventOf(2, {
          consent: 'denied',
          userData: {},
          clickIds: { ...eventOf(2).clickIds, gclid: null, wbraid: 'wb-2' },
        }),
      ],
      contextFor(),
    );

    expect(outcomes.map((o) => [o.deliveryId, o.result, o.httpStatus])).toEqual([
      ['del_1', 'sent', 200],
      ['del_2', 'sent', 200],
    ]);
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/v22/customers/1234567890:uploadClickConversions');
    expect(request.authorization).toBe(`Bearer ${fake.accessToken}`);
    expect(request.developerToken).toBe(fake.developerToken);
    expect(request.loginCustomerId).toBe('9998887777');
    expect(request.body).toEqual({
      conversions: [
        {
          gclid: 'gclid-1',
          conversionAction: 'customers/1234567890/conversionActions/777',
          conversionDateTime: '2026-01-05 07:08:09+00:00',
          conversionValue: 42.5,
          currencyCode: 'EUR',
          orderId: 'order-1',
          consent: { adUserData: 'GRANTED' },
          userIdentifiers: [
            { hashedEmail: sha256('janedoe@gmail.com'), userIdentifierSource: 'FIRST_PARTY' },
          ],
        },
        {
          wbraid: 'wb-2',
          conversionAction: 'customers/1234567890/conversionActions/777',
          conversionDateTime: '2026-01-05 07:08:09+00:00',
          conversionValue: 42.5,
          currencyCode: 'EUR',
          orderId: 'order-2',
          consent: { adUserData: 'DENIED' },
        },
      ],
      partialFailure: true,
      validateOnly: false,
    });
    expect(
      fake.conversions.map((c) => [c.api, c.transactionId, c.gclid ?? c.wbraid, c.consent.adUserData]),
    ).toEqual([
      ['legacy_upload', 'order-1', 'gclid-1', 'GRANTED'],
      ['legacy_upload', 'order-2', 'wb-2', 'DENIED'],
    ]);
  });

  it('maps a partial failure to the events it locates and sends the others', async () => {
    fake.rejectClickId('gclid-2');

    const outcomes = await googleAdsLegacySender.send([eventOf(1), eventOf(2), eventOf(3)], contextFor());

    expect(outcomes.map((o) => o.result)).toEqual(['sent', 'rejected', 'sent']);
    expect(outcomes[1]!.response).toContain('UNPARSEABLE_GCLID');
    expect(fake.requests).toHaveLength(1);
    expect(fake.conversions.map((c) => c.transactionId)).toEqual(['order-1', 'order-3']);
  });

  it('retracts through conversion adjustments matched by order id, in its own request', async () => {
    await googleAdsLegacySender.send([eventOf(1)], contextFor());

    const outcomes = await googleAdsLegacySender.send(
      [
        eventOf(1, { kind: 'retraction', deliveryId: 'ret_1' }),
        eventOf(9, { kind: 'retraction', deliveryId: 'ret_9' }),
        eventOf(4),
      ],
      contextFor(),
    );

    const byId = Object.fromEntries(outcomes.map((o) => [o.deliveryId, o.result]));
    // order-9 was never uploaded: Google answers CONVERSION_NOT_FOUND for it alone.
    expect(byId).toMatchObject({ ret_1: 'sent', ret_9: 'rejected', del_4: 'sent' });
    const adjustments = fake.requests.find((r) => r.path.endsWith(':uploadConversionAdjustments'))!;
    expect(adjustments.body).toMatchObject({
      conversionAdjustments: [
        {
          adjustmentType: 'RETRACTION',
          orderId: 'order-1',
          conversionAction: 'customers/1234567890/conversionActions/777',
        },
        { adjustmentType: 'RETRACTION', orderId: 'order-9' },
      ],
      partialFailure: true,
    });
    const dateTime = (adjustments.body as { conversionAdjustments: { adjustmentDateTime: string }[] })
      .conversionAdjustments[0]!.adjustmentDateTime;
    expect(dateTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00:00$/);
    expect(fake.retractions.map((r) => r.orderId)).toEqual(['order-1']);
  });

  it('validates only in test mode: Google keeps nothing', async () => {
    const outcomes = await googleAdsLegacySender.send([eventOf(1)], contextFor({ testEventCode: 'T' }));
    expect(outcomes[0]!.result).toBe('sent');
    expect(fake.requests[0]!.body).toMatchObject({ validateOnly: true });
    expect(fake.conversions).toEqual([]);
  });

  it('answers auth_failed for an expired token and for a wrong developer token', async () => {
    fake.expireToken();
    const expired = await googleAdsLegacySender.send([eventOf(1)], contextFor());
    expect(expired[0]).toMatchObject({ result: 'auth_failed', httpStatus: 401 });
    expect(expired[0]!.response).toContain('OAUTH_TOKEN_EXPIRED');
    expect(expired[0]!.response).not.toContain(fake.accessToken);

    const context = contextFor({ apps: { google: { ...fake.app, developerToken: 'wrong' } } });
    context.connection.credentials.accessToken = 'unknown-token';
    const refused = await googleAdsLegacySender.send([eventOf(1)], context);
    expect(refused[0]!.result).toBe('auth_failed');
  });

  it('answers retry with the QuotaError retry delay on 429, and retry on a 500', async () => {
    fake.rateLimitNext(1, 45);
    const limited = await googleAdsLegacySender.send([eventOf(1), eventOf(2)], contextFor());
    expect(limited.map((o) => [o.result, o.httpStatus, o.retryAfterMs])).toEqual([
      ['retry', 429, 45_000],
      ['retry', 429, 45_000],
    ]);

    fake.failNext(1, 500);
    const down = await googleAdsLegacySender.send([eventOf(1)], contextFor());
    expect(down[0]).toMatchObject({ result: 'retry', httpStatus: 500 });
    expect(fake.conversions).toEqual([]);
  });

  it('rejects without calling Google when the connection has no customer id', async () => {
    const outcomes = await googleAdsLegacySender.send(
      [eventOf(1)],
      contextFor({ connection: { ...contextFor().connection, accountId: null } }),
    );
    expect(outcomes[0]).toMatchObject({ result: 'rejected', httpStatus: null });
    expect(fake.requests).toEqual([]);
  });

  it('formats Google Ads date-times in UTC without milliseconds', () => {
    expect(googleAdsDateTime(new Date('2026-12-31T23:59:59.999Z'))).toBe('2026-12-31 23:59:59+00:00');
    expect(googleAdsLegacySender.acceptsRetractions).toBe(true);
    expect(googleAdsLegacySender.maxBatchSize).toBe(2000);
  });
});
