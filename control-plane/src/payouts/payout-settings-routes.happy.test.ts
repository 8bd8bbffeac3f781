import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { conversionWorld } from '../../test/conversion-setup.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { affiliatePayoutSettings } from '../db/schema/payouts.ts';

describe.each(testDatabases)('/api/v1/payout-settings on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof conversionWorld>>;
  beforeAll(async () => {
    handle = await open();
    fakes = await startProcessorFakes();
    app = testApp(handle.db, { processors: fakes.processors() });
    world = await conversionWorld(app, handle.db, 1);
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  it("lets an admin set the network's defaults", async () => {
    const before = await call(app, 'GET', '/api/v1/payout-settings/network', {
      token: world.admin.accessToken,
    });
    expect(await before.json()).toMatchObject({ automatic: false, schedule: 'monthly', holdDays: 30 });
    const settings = {
      automatic: true,
      schedule: 'weekly',
      weeklyDay: 5,
      monthlyDay: 1,
      defaultMinimumMinor: 2500,
      minimumByCurrency: { EUR: 2000 },
      holdDays: 14,
    };
    const saved = await call(app, 'PUT', '/api/v1/payout-settings/network', {
      token: world.admin.accessToken,
      body: settings,
    });
    expect(await saved.json()).toEqual(settings);
  });

  it('lets an affiliate choose PayPal, its receiver stored encrypted', async () => {
    const path = `/api/v1/payout-settings/affiliates/${world.affiliate.affiliateId}`;
    const saved = await call(app, 'PUT', path, {
      token: world.affiliate.accessToken,
      body: { method: 'paypal', paypalEmail: 'blue@paypal.example' },
    });
    expect(await saved.json()).toMatchObject({ method: 'paypal', paypalEmail: 'blue@paypal.example' });
    const [row] = await handle.db.select().from(affiliatePayoutSettings);
    expect(row?.paypalReceiverEncrypted).toMatch(/^v1\./);
    expect(row?.paypalReceiverEncrypted).not.toContain('blue@');
    const admin = await call(app, 'PUT', path, {
      token: world.admin.accessToken,
      body: { minimumMinor: 1000, holdDays: 7 },
    });
    expect(await admin.json()).toMatchObject({ method: 'paypal', minimumMinor: 1000, holdDays: 7 });
  });

  it('gives a Stripe Connect onboarding link, opening the account once', async () => {
    const path = `/api/v1/payout-settings/affiliates/${world.affiliate.affiliateId}/stripe-onboarding`;
    const first = (await (await call(app, 'POST', path, { token: world.affiliate.accessToken })).json()) as {
      url: string;
      stripeAccountId: string;
    };
    expect(first.url).toMatch(/^https?:\/\//);
    const second = (await (await call(app, 'POST', path, { token: world.affiliate.accessToken })).json()) as {
      stripeAccountId: string;
    };
    expect(second.stripeAccountId).toBe(first.stripeAccountId);
    const settings = await call(
      app,
      'GET',
      `/api/v1/payout-settings/affiliates/${world.affiliate.affiliateId}`,
      {
        token: world.affiliate.accessToken,
      },
    );
    expect(await settings.json()).toMatchObject({
      method: 'stripe_connect',
      stripeAccountId: first.stripeAccountId,
    });
  });
});
