import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode } from '../../test/api-client.ts';
import { conversionWorld } from '../../test/conversion-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/payout-settings errors on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof conversionWorld>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    world = await conversionWorld(app, handle.db, 1);
  });
  afterAll(() => handle.close());

  it('refuses invalid settings', async () => {
    const bad = [
      { schedule: 'daily' },
      {
        automatic: true,
        schedule: 'weekly',
        weeklyDay: 8,
        monthlyDay: 1,
        defaultMinimumMinor: 0,
        minimumByCurrency: {},
        holdDays: 0,
      },
      {
        automatic: true,
        schedule: 'weekly',
        weeklyDay: 1,
        monthlyDay: 1,
        defaultMinimumMinor: -1,
        minimumByCurrency: {},
        holdDays: 0,
      },
    ];
    for (const body of bad) {
      const response = await call(app, 'PUT', '/api/v1/payout-settings/network', {
        token: world.admin.accessToken,
        body,
      });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    const path = `/api/v1/payout-settings/affiliates/${world.affiliate.affiliateId}`;
    for (const body of [{ method: 'cheque' }, { method: 'paypal' }, { paypalEmail: 'not an email' }]) {
      const response = await call(app, 'PUT', path, { token: world.affiliate.accessToken, body });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
  });

  it('answers 404 for an affiliate that does not exist, and 503 for onboarding without Stripe', async () => {
    const missing = await call(app, 'GET', '/api/v1/payout-settings/affiliates/999999', {
      token: world.admin.accessToken,
    });
    expect([missing.status, await errorCode(missing)]).toEqual([404, 'not_found']);
    const onboarding = await call(
      app,
      'POST',
      `/api/v1/payout-settings/affiliates/${world.affiliate.affiliateId}/stripe-onboarding`,
      { token: world.affiliate.accessToken },
    );
    expect([onboarding.status, await errorCode(onboarding)]).toEqual([503, 'processor_not_configured']);
  });
});
