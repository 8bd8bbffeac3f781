import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adPlatformWorld, created, fakeEndpoints, testAdPlatformDeps } from '../../test/ad-platform-setup.ts';
import { call } from '../../test/api-client.ts';
import { type GoogleFake, startGoogleFake } from '../../test/fakes/google-fake.ts';
import { ingest } from '../../test/postback-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { openTestPglite } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { adConversionDeliveries, adConversionDestinations } from '../db/schema/ad-conversion-destinations.ts';
import { adPlatformConnections } from '../db/schema/ad-platform-connections.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';
import { processAdDeliveries } from './forwarding-outbox.ts';

const CUSTOMER = '1112223334';
const CALLBACK = 'http://api.test/api/v1/ad-platforms/oauth/google/callback';

/**
 * Google through the outbox: a connection made by OAuth whose short-lived access token is
 * refreshed before use, the legacy upload for accounts allowed to use it (retractions included),
 * a conversion that waits for its late click, and a revoked grant that ends in a paused destination.
 */
describe('forwarding to Google', () => {
  let handle: DatabaseHandle;
  let google: GoogleFake;
  let deps: AdPlatformDeps;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof adPlatformWorld>>;
  let connectionId: string;
  let destinationId: string;

  beforeAll(async () => {
    handle = await openTestPglite();
    google = await startGoogleFake();
    deps = testAdPlatformDeps(handle.db, {
      endpoints: fakeEndpoints(google.endpoints),
      apps: { google: google.app },
    });
    app = testApp(handle.db, { adPlatforms: deps });
    world = await adPlatformWorld(app, handle.db);
  });
  afterAll(async () => {
    await google.close();
    await handle.close();
  });

  const deliveries = () =>
    handle.db
      .select()
      .from(adConversionDeliveries)
      .where(eq(adConversionDeliveries.destinationId, destinationId));
  const connection = async () =>
    (
      await handle.db.select().from(adPlatformConnections).where(eq(adPlatformConnections.id, connectionId))
    )[0];

  it('connects by OAuth and stores a refresh token, encrypted', async () => {
    const start = await call(app, 'POST', '/api/v1/ad-platforms/oauth/google/start', {
      token: world.advertiser.accessToken,
      body: { label: 'Google Ads', accountId: CUSTOMER },
    });
    const { url } = (await start.json()) as { url: string };
    const state = new URL(url).searchParams.get('state') ?? '';
    expect(new URL(url).searchParams.get('access_type')).toBe('offline');
    const back = await app.request(
      `/api/v1/ad-platforms/oauth/google/callback?code=${google.authorizationCode(CALLBACK)}&state=${encodeURIComponent(state)}`,
    );
    connectionId = new URL(back.headers.get('location') ?? '').searchParams.get('connected') ?? '';
    expect((await connection())?.accessTokenExpiresAt).toBeInstanceOf(Date);
    expect((await connection())?.credentials).not.toMatch(/ya29|1\/\//);
    ({ id: destinationId } = await created<{ id: string }>(
      await call(app, 'POST', '/api/v1/ad-platforms/destinations', {
        token: world.advertiser.accessToken,
        body: {
          connectionId,
          name: 'Google legacy',
          settings: { conversionActionId: '4455', api: 'legacy_upload' },
        },
      }),
    ));
  });

  it('refreshes an access token about to expire, uploads by the legacy API, and retracts a rejected conversion', async () => {
    // The stored token runs out within the refresh margin: it is refreshed before the upload.
    await handle.db
      .update(adPlatformConnections)
      .set({ accessTokenExpiresAt: new Date(Date.now() + 60_000) })
      .where(eq(adPlatformConnections.id, connectionId));
    const before = (await connection())?.credentials;
    const box = deps.box;
    const sealed = JSON.parse(box.decrypt(connectionId, before ?? '')) as Record<string, string>;
    await handle.db
      .update(adPlatformConnections)
      .set({
        credentials: box.encrypt(
          connectionId,
          JSON.stringify({ ...sealed, accessTokenExpiresAt: new Date(Date.now() + 60_000).toISOString() }),
        ),
      })
      .where(eq(adPlatformConnections.id, connectionId));

    const click = await clickEvent({
      offerId: world.offer.id,
      affiliateId: world.affiliate.affiliateId!,
      gclid: 'EAIaIQ-legacy',
      consent: 'granted',
    });
    const conversion = conversionEvent(click, { txid: 'LEG-1' });
    await ingest(app, [click, conversion]);
    const tokenCalls = () => google.requests.filter((r) => r.path === '/token').length;
    const tokenCallsBefore = tokenCalls();
    expect(await processAdDeliveries(deps)).toMatchObject({ sent: 1 });
    expect(tokenCalls()).toBe(tokenCallsBefore + 1);
    expect(google.conversions).toEqual([
      expect.objectContaining({
        api: 'legacy_upload',
        customerId: CUSTOMER,
        conversionActionId: '4455',
        gclid: 'EAIaIQ-legacy',
        transactionId: 'LEG-1',
      }),
    ]);
    expect((await connection())?.credentials).not.toBe(before);

    const reject = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: world.admin.accessToken,
      body: { action: 'reverse', conversionIds: [conversion.id], dryRun: false, reason: 'refund' },
    });
    expect(reject.status).toBe(200);
    await processAdDeliveries(deps);
    expect(google.retractions).toEqual([
      expect.objectContaining({ orderId: 'LEG-1', conversionActionId: '4455' }),
    ]);
    expect((await deliveries()).map((d) => [d.kind, d.state]).sort()).toEqual([
      ['conversion', 'sent'],
      ['retraction', 'sent'],
    ]);
  });

  it('waits for a click that has not arrived, then sends with its click id', async () => {
    const click = await clickEvent({
      offerId: world.offer.id,
      affiliateId: world.affiliate.affiliateId!,
      gclid: 'EAIaIQ-late',
    });
    const conversion = conversionEvent(click, { txid: 'LATE-1' });
    await ingest(app, [conversion]);
    await processAdDeliveries(deps);
    const waiting = (await deliveries()).find((d) => d.conversionId === conversion.id);
    expect(waiting).toMatchObject({ state: 'pending', attempts: 0 });
    await ingest(app, [click]);
    await processAdDeliveries(deps, new Date(Date.now() + 10 * 60_000));
    expect((await deliveries()).find((d) => d.conversionId === conversion.id)).toMatchObject({
      state: 'sent',
    });
    expect(google.conversions.map((c) => c.gclid)).toContain('EAIaIQ-late');
  });

  it('a revoked grant marks the connection for reconnecting and pauses the destination, losing nothing', async () => {
    google.revokeRefreshTokens();
    await handle.db
      .update(adPlatformConnections)
      .set({
        credentials: deps.box.encrypt(
          connectionId,
          JSON.stringify({
            accessToken: 'ya29.gone',
            refreshToken: '1//revoked',
            accessTokenExpiresAt: new Date(Date.now() - 1_000).toISOString(),
          }),
        ),
      })
      .where(eq(adPlatformConnections.id, connectionId));
    const click = await clickEvent({
      offerId: world.offer.id,
      affiliateId: world.affiliate.affiliateId!,
      gclid: 'EAIaIQ-revoked',
    });
    await ingest(app, [click, conversionEvent(click, { txid: 'REV-1' })]);
    for (let i = 0; i < 3; i++) await processAdDeliveries(deps, new Date(Date.now() + (i + 1) * 86_400_000));
    expect(await connection()).toMatchObject({ status: 'needs_reauth' });
    expect((await connection())?.lastError).toContain('refresh');
    const [destination] = await handle.db
      .select()
      .from(adConversionDestinations)
      .where(eq(adConversionDestinations.id, destinationId));
    expect(destination?.status).toBe('paused');
    expect((await deliveries()).filter((d) => d.state === 'pending')).toHaveLength(1);
  });
});
