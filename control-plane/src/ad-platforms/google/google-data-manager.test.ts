import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GoogleFake, startGoogleFake } from '../../../test/fakes/google-fake.ts';
import type { AdPlatformEndpoints, ForwardedEvent, SendContext } from '../ad-platform.ts';
import { googleDataManagerSender } from './google-data-manager.ts';

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
      loginAccountId: null,
      credentials: { accessToken: fake.accessToken },
    },
    settings: { conversionActionId: '555', api: 'data_manager' },
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
    occurredAt: new Date(Date.UTC(2026, 10, 29, 12, 30, 15, 250)),
    clickedAt: new Date(Date.UTC(2026, 10, 28, 9, 0, 0)),
    valueMinor: 12_345,
    currency: 'USD',
    txid: `order-${n}`,
    clickIds: { gclid: `gclid-${n}`, gbraid: null, wbraid: null, fbclid: null, ttclid: null, msclkid: null },
    ip: '203.0.113.9',
    userAgent: 'Mozilla/5.0',
    country: 'US',
    consent: 'granted',
    consentMode: { adUserData: null, adPersonalization: null },
    userData: { emailGoogle: sha256('jane.doe@gmail.com'), phoneE164: sha256('+14155550100') },
    sourceUrl: null,
    ...overrides,
  };
}

describe('googleDataManagerSender', () => {
  it('ingests events through the official client in the documented wire shape', async () => {
    const outcomes = await googleDataManagerSender.send(
      [eventOf(1), eventOf(2, { consent: 'denied', valueMinor: 500, currency: 'JPY' })],
      contextFor(),
    );

    expect(outcomes.map((o) => [o.deliveryId, o.result, o.httpStatus])).toEqual([
      ['del_1', 'sent', 200],
      ['del_2', 'sent', 200],
    ]);
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/v1/events:ingest');
    expect(request.authorization).toBe(`Bearer ${fake.accessToken}`);
    // The client's REST mode: enums as integers (GOOGLE_ADS = 1, HEX = 1, WEB = 1, GRANTED = 1, DENIED = 2).
    expect(request.body).toMatchObject({
      destinations: [
        { operatingAccount: { accountType: 1, accountId: '1234567890' }, productDestinationId: '555' },
      ],
      encoding: 1,
      events: [
        {
          transactionId: 'order-1',
          eventTimestamp: '2026-11-29T12:30:15.250Z',
          conversionValue: 123.45,
          currency: 'USD',
          adIdentifiers: { gclid: 'gclid-1' },
          userData: {
            userIdentifiers: [
              { emailAddress: sha256('jane.doe@gmail.com') },
              { phoneNumber: sha256('+14155550100') },
            ],
          },
          eventSource: 1,
          consent: { adUserData: 1, adPersonalization: 1 },
        },
        {
          transactionId: 'order-2',
          conversionValue: 500,
          currency: 'JPY',
          consent: { adUserData: 2, adPersonalization: 2 },
        },
      ],
    });
    expect(request.body).not.toHaveProperty('validateOnly');
    expect(fake.conversions).toEqual([
      expect.objectContaining({
        api: 'data_manager',
        customerId: '1234567890',
        conversionActionId: '555',
        transactionId: 'order-1',
        gclid: 'gclid-1',
        emailHashes: [sha256('jane.doe@gmail.com')],
        phoneHashes: [sha256('+14155550100')],
        consent: { adUserData: 'CONSENT_GRANTED', adPersonalization: 'CONSENT_GRANTED' },
        eventSource: 'WEB',
      }),
      expect.objectContaining({
        transactionId: 'order-2',
        consent: { adUserData: 'CONSENT_DENIED', adPersonalization: 'CONSENT_DENIED' },
      }),
    ]);
  });

  it('sends consent mode’s own values over the consent parameter', async () => {
    await googleDataManagerSender.send(
      [
        eventOf(3, {
          consent: 'granted',
          consentMode: { adUserData: null, adPersonalization: 'denied' },
        }),
        eventOf(4, { consent: null, consentMode: { adUserData: 'granted', adPersonalization: null } }),
      ],
      contextFor(),
    );
    expect(fake.requests.at(-1)!.body).toMatchObject({
      events: [
        { consent: { adUserData: 1, adPersonalization: 2 } },
        // Consent mode without `consent`: what it does not say is not granted.
        { consent: { adUserData: 1, adPersonalization: 2 } },
      ],
    });
  });

  it('leaves consent unspecified when none was given, sends gbraid when there is no gclid, and names the login account', async () => {
    const context = contextFor();
    context.connection.loginAccountId = '111-222-3333';
    await googleDataManagerSender.send(
      [
        eventOf(1, {
          consent: null,
          userData: {},
          valueMinor: null,
          currency: null,
          clickIds: {
            gclid: null,
            gbraid: 'gb-1',
            wbraid: 'wb-1',
            fbclid: null,
            ttclid: null,
            msclkid: null,
          },
        }),
      ],
      context,
    );

    const body = fake.requests.at(-1)!.body as { destinations: unknown[]; events: Record<string, unknown>[] };
    expect(body.destinations[0]).toMatchObject({ loginAccount: { accountType: 1, accountId: '1112223333' } });
    expect(body.events[0]).not.toHaveProperty('consent');
    expect(body.events[0]).not.toHaveProperty('userData');
    expect(body.events[0]).not.toHaveProperty('conversionValue');
    expect(body.events[0]!.adIdentifiers).toEqual({ gbraid: 'gb-1' });
    expect(fake.conversions[0]).toMatchObject({
      loginCustomerId: '1112223333',
      gbraid: 'gb-1',
      wbraid: null,
    });
  });

  it('asks for validation only when the destination is in test mode, and Google keeps nothing', async () => {
    const outcomes = await googleDataManagerSender.send([eventOf(1)], contextFor({ testEventCode: 'TEST1' }));

    expect(outcomes[0]!.result).toBe('sent');
    expect(fake.requests.at(-1)!.body).toMatchObject({ validateOnly: true });
    expect(fake.conversions).toEqual([]);
  });

  it('parks the events a BadRequest names and sends the rest again in the same call', async () => {
    fake.rejectClickId('gclid-2', 'gclid-4');
    const events = [1, 2, 3, 4, 5].map((n) => eventOf(n));

    const outcomes = await googleDataManagerSender.send(events, contextFor());

    const byId = Object.fromEntries(outcomes.map((o) => [o.deliveryId, o]));
    expect(byId.del_2!.result).toBe('rejected');
    expect(byId.del_2!.httpStatus).toBe(400);
    expect(byId.del_2!.response).toContain('events[1].ad_identifiers.gclid');
    expect(byId.del_4!.result).toBe('rejected');
    expect(byId.del_4!.response).toContain('events[3].ad_identifiers.gclid');
    expect(['del_1', 'del_3', 'del_5'].map((id) => byId[id]!.result)).toEqual(['sent', 'sent', 'sent']);
    const ingests = fake.requests.filter((r) => r.path === '/v1/events:ingest');
    expect(ingests).toHaveLength(2);
    const resent = (ingests[1]!.body as { events: { transactionId: string }[] }).events;
    expect(resent.map((e) => e.transactionId)).toEqual(['order-1', 'order-3', 'order-5']);
    expect(fake.conversions.map((c) => c.transactionId)).toEqual(['order-1', 'order-3', 'order-5']);
  });

  it('resends only once: a second refusal parks the events it names and leaves the rest to the outbox', async () => {
    fake.rejectClickId('gclid-2', 'gclid-4');
    fake.limitViolations(1);

    const outcomes = await googleDataManagerSender.send(
      [1, 2, 3, 4, 5].map((n) => eventOf(n)),
      contextFor(),
    );

    expect(Object.fromEntries(outcomes.map((o) => [o.deliveryId, o.result]))).toEqual({
      del_1: 'retry',
      del_2: 'rejected',
      del_3: 'retry',
      del_4: 'rejected',
      del_5: 'retry',
    });
    // The resend held events 1, 3, 4, 5: Google named index 2 of it, event 4.
    expect(outcomes.find((o) => o.deliveryId === 'del_4')!.response).toContain(
      'events[2].ad_identifiers.gclid',
    );
    expect(fake.requests.filter((r) => r.path === '/v1/events:ingest')).toHaveLength(2);
    expect(fake.conversions).toEqual([]);
  });

  it('rejects the whole batch when an INVALID_ARGUMENT names no event', async () => {
    const outcomes = await googleDataManagerSender.send(
      [eventOf(1), eventOf(2)],
      contextFor({ settings: { conversionActionId: 'not-a-number' } }),
    );

    expect(outcomes.map((o) => o.result)).toEqual(['rejected', 'rejected']);
    expect(outcomes[0]!.response).toContain('product_destination_id');
    expect(fake.requests.filter((r) => r.path === '/v1/events:ingest')).toHaveLength(1);
  });

  it('answers auth_failed for an expired token, without the token in the kept response', async () => {
    fake.expireToken();

    const outcomes = await googleDataManagerSender.send([eventOf(1)], contextFor());

    expect(outcomes[0]).toMatchObject({ result: 'auth_failed', httpStatus: 401 });
    expect(outcomes[0]!.response).not.toContain(fake.accessToken);
    expect(outcomes[0]!.response).toContain('ACCESS_TOKEN_EXPIRED');
  });

  it("answers retry with Google's delay on RESOURCE_EXHAUSTED, and retry on a 503, without retrying itself", async () => {
    fake.rateLimitNext(1, 7);
    const limited = await googleDataManagerSender.send([eventOf(1)], contextFor());
    expect(limited[0]).toMatchObject({ result: 'retry', httpStatus: 429, retryAfterMs: 7_000 });

    fake.failNext(1, 503);
    const down = await googleDataManagerSender.send([eventOf(1)], contextFor());
    expect(down[0]).toMatchObject({ result: 'retry', httpStatus: 503 });

    expect(fake.requests.filter((r) => r.path === '/v1/events:ingest')).toHaveLength(2);
    expect(fake.conversions).toEqual([]);
  });

  it('answers retry when Google cannot be reached', async () => {
    const endpoints = {
      ...fake.endpoints,
      googleDataManagerUrl: 'http://127.0.0.1:9',
    } as unknown as AdPlatformEndpoints;
    const outcomes = await googleDataManagerSender.send([eventOf(1)], contextFor({ endpoints }));
    expect(outcomes[0]).toMatchObject({ result: 'retry', httpStatus: null });
  });

  it('counts a resent transaction id once, like Google', async () => {
    await googleDataManagerSender.send([eventOf(1)], contextFor());
    const again = await googleDataManagerSender.send([eventOf(1)], contextFor());

    expect(again[0]!.result).toBe('sent');
    expect(fake.conversions).toHaveLength(1);
    expect(fake.duplicates).toBe(1);
  });

  it('refuses retractions and unconfigured destinations without calling Google', async () => {
    const outcomes = await googleDataManagerSender.send(
      [eventOf(1, { kind: 'retraction' }), eventOf(2)],
      contextFor({ settings: {} }),
    );
    expect(outcomes.map((o) => [o.deliveryId, o.result])).toEqual([
      ['del_1', 'rejected'],
      ['del_2', 'rejected'],
    ]);
    expect(fake.requests).toEqual([]);
  });

  it("declares Google's batch size and click ids", () => {
    expect(googleDataManagerSender.maxBatchSize).toBe(2000);
    expect(googleDataManagerSender.acceptsRetractions).toBe(false);
    const none = { gclid: null, gbraid: null, wbraid: null, fbclid: 'fb', ttclid: null, msclkid: null };
    expect(googleDataManagerSender.needsClickId(none)).toBe(false);
    expect(googleDataManagerSender.needsClickId({ ...none, wbraid: 'w' })).toBe(true);
  });
});
