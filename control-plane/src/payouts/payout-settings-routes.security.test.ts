import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { conversionWorld } from '../../test/conversion-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/payout-settings access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof conversionWorld>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    world = await conversionWorld(app, handle.db, 1);
  });
  afterAll(() => handle.close());

  it('asks for a credential and keeps the network settings to admins', async () => {
    const anonymous = await call(app, 'GET', '/api/v1/payout-settings/network');
    expect([anonymous.status, await errorCode(anonymous)]).toEqual([401, 'unauthorized']);
    for (const session of [world.affiliate, world.advertiser]) {
      for (const method of ['GET', 'PUT'] as const) {
        const response = await call(app, method, '/api/v1/payout-settings/network', {
          token: session.accessToken,
          ...(method === 'PUT' ? { body: { automatic: true } } : {}),
        });
        expect(response.status).toBe(403);
      }
    }
  });

  it("never lets an affiliate read or change another's payout method, or its own overrides", async () => {
    const other = await signUp(app, 'affiliate');
    const path = `/api/v1/payout-settings/affiliates/${world.affiliate.affiliateId}`;
    const read = await call(app, 'GET', path, { token: other.accessToken });
    expect([read.status, await errorCode(read)]).toEqual([404, 'not_found']);
    const write = await call(app, 'PUT', path, {
      token: other.accessToken,
      body: { method: 'paypal', paypalEmail: 'thief@paypal.example' },
    });
    expect([write.status, await errorCode(write)]).toEqual([404, 'not_found']);
    const onboarding = await call(app, 'POST', `${path}/stripe-onboarding`, { token: other.accessToken });
    expect([onboarding.status, await errorCode(onboarding)]).toEqual([404, 'not_found']);
    const advertiser = await call(app, 'GET', path, { token: world.advertiser.accessToken });
    expect(advertiser.status).toBe(404);
    const overrides = await call(app, 'PUT', path, {
      token: world.affiliate.accessToken,
      body: { minimumMinor: 1 },
    });
    expect([overrides.status, await errorCode(overrides)]).toEqual([403, 'forbidden']);
  });
});
