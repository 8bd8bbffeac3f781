import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { daysFromNow, payableWorld, setPayoutMethod } from '../../test/payout-setup.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { affiliatePayoutSettings, payouts } from '../db/schema/payouts.ts';

describe.each(testDatabases)('payout webhooks through /webhooks on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    fakes = await startProcessorFakes();
    app = testApp(handle.db, { processors: fakes.processors(), now: () => daysFromNow(31) });
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  it('settles PayPal items from signed deliveries, once however often delivered, failures back to the payable', async () => {
    const paid = await payableWorld(app, handle.db, 4);
    const returned = await payableWorld(app, handle.db, 4);
    for (const world of [paid, returned]) {
      await setPayoutMethod(handle.db, world.affiliate.affiliateId ?? 0, 'paypal', {
        paypalEmail: `a${world.affiliate.affiliateId}@paypal.example`,
      });
    }
    fakes.paypal.setOutcome(`a${returned.affiliate.affiliateId}@paypal.example`, 'FAILED');
    const run = await call(app, 'POST', '/api/v1/payout-runs', {
      token: paid.admin.accessToken,
      body: { dryRun: false },
    });
    expect(await run.json()).toMatchObject({ run: { status: 'completed' } });
    const events = fakes.paypal.settle();
    for (const event of [...events, ...events]) {
      const response = await app.request('/webhooks/paypal', {
        method: 'POST',
        ...fakes.paypal.signed(event),
      });
      expect(response.status).toBe(200);
    }
    const [ok] = await handle.db
      .select()
      .from(payouts)
      .where(eq(payouts.affiliateId, paid.affiliate.affiliateId ?? 0));
    const [bad] = await handle.db
      .select()
      .from(payouts)
      .where(eq(payouts.affiliateId, returned.affiliate.affiliateId ?? 0));
    expect(ok).toMatchObject({ status: 'paid' });
    expect(bad).toMatchObject({ status: 'failed' });
    expect(bad?.failureReason).toContain('PayPal item failed');
    const transfers = (await (
      await call(app, 'GET', `/api/v1/ledger/transfers?payoutId=${bad?.id}`, {
        token: paid.admin.accessToken,
      })
    ).json()) as { data: { kind: string }[] };
    expect(transfers.data.map((t) => t.kind)).toEqual(['payout', 'payout_failed']);
  });

  it("follows Stripe's account.updated: payouts enabled once onboarding is done", async () => {
    const world = await payableWorld(app, handle.db, 1);
    const affiliateId = world.affiliate.affiliateId ?? 0;
    const link = await call(
      app,
      'POST',
      `/api/v1/payout-settings/affiliates/${affiliateId}/stripe-onboarding`,
      {
        token: world.affiliate.accessToken,
      },
    );
    const { stripeAccountId } = (await link.json()) as { stripeAccountId: string };
    const event = fakes.stripe.completeOnboarding(stripeAccountId);
    const response = await app.request('/webhooks/stripe', { method: 'POST', ...fakes.stripe.signed(event) });
    expect(response.status).toBe(200);
    const [row] = await handle.db
      .select()
      .from(affiliatePayoutSettings)
      .where(eq(affiliatePayoutSettings.affiliateId, affiliateId));
    expect(row).toMatchObject({ method: 'stripe_connect', stripePayoutsEnabled: true });
  });
});
