import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode } from '../../test/api-client.ts';
import { daysFromNow, payableWorld, setPayoutMethod } from '../../test/payout-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { payouts } from '../db/schema/payouts.ts';

describe.each(testDatabases)('/api/v1/payouts errors on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof payableWorld>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { now: () => daysFromNow(31) });
    world = await payableWorld(app, handle.db, 4);
  });
  afterAll(() => handle.close());

  it('answers 404 for a payout that does not exist and 400 for a malformed id or filter', async () => {
    const id = '01900000-0000-7000-8000-000000000000';
    for (const path of [
      `/api/v1/payouts/${id}`,
      `/api/v1/payouts/${id}/statement.html`,
      `/api/v1/payouts/${id}/statement.pdf`,
    ]) {
      const response = await call(app, 'GET', path, { token: world.admin.accessToken });
      expect([response.status, await errorCode(response)], path).toEqual([404, 'not_found']);
    }
    for (const path of ['/api/v1/payouts/nope', '/api/v1/payouts?status=lost', '/api/v1/payouts?limit=0']) {
      const response = await call(app, 'GET', path, { token: world.admin.accessToken });
      expect(response.status, path).toBe(400);
    }
  });

  it('refuses to mark paid what is not a sent bank transfer', async () => {
    const affiliateId = world.affiliate.affiliateId ?? 0;
    await setPayoutMethod(handle.db, affiliateId, 'paypal', { paypalEmail: 'payee@paypal.example' });
    // PayPal is not configured here: the payout waits, posted, and the run is interrupted.
    const run = await call(app, 'POST', '/api/v1/payout-runs', {
      token: world.admin.accessToken,
      body: { dryRun: false },
    });
    expect(await run.json()).toMatchObject({ run: { status: 'interrupted' } });
    const [payout] = await handle.db.select().from(payouts);
    const response = await call(app, 'POST', `/api/v1/payouts/${payout?.id}/mark-paid`, {
      token: world.admin.accessToken,
    });
    expect([response.status, await errorCode(response)]).toEqual([409, 'conflict']);
    expect(payout?.status).toBe('pending');
  });
});
