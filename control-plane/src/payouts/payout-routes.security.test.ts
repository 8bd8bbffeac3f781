import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { daysFromNow, payableWorld, setPayoutMethod } from '../../test/payout-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/payouts access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof payableWorld>>;
  let payoutId: string;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { now: () => daysFromNow(31) });
    world = await payableWorld(app, handle.db, 4);
    await setPayoutMethod(handle.db, world.affiliate.affiliateId ?? 0, 'bank_transfer');
    const run = await call(app, 'POST', '/api/v1/payout-runs', {
      token: world.admin.accessToken,
      body: { dryRun: false },
    });
    const page = (await (
      await call(app, 'GET', '/api/v1/payouts', { token: world.admin.accessToken })
    ).json()) as {
      data: { id: string }[];
    };
    expect(run.status).toBe(200);
    payoutId = page.data[0]?.id ?? '';
  });
  afterAll(() => handle.close());

  it('asks for a credential', async () => {
    for (const path of [
      '/api/v1/payouts',
      `/api/v1/payouts/${payoutId}`,
      `/api/v1/payouts/${payoutId}/statement.html`,
    ]) {
      const response = await call(app, 'GET', path);
      expect([response.status, await errorCode(response)], path).toEqual([401, 'unauthorized']);
    }
  });

  it("never shows an affiliate another affiliate's payouts or statements, whatever it asks", async () => {
    const other = await signUp(app, 'affiliate');
    const mine = (await (
      await call(app, 'GET', `/api/v1/payouts?affiliateId=${world.affiliate.affiliateId}`, {
        token: other.accessToken,
      })
    ).json()) as { data: unknown[] };
    expect(mine.data).toEqual([]);
    for (const path of [
      `/api/v1/payouts/${payoutId}`,
      `/api/v1/payouts/${payoutId}/statement.html`,
      `/api/v1/payouts/${payoutId}/statement.pdf`,
    ]) {
      const response = await call(app, 'GET', path, { token: other.accessToken });
      expect([response.status, await errorCode(response)], path).toEqual([404, 'not_found']);
    }
  });

  it('shows advertisers no payouts, and lets only admins mark one paid', async () => {
    for (const path of [
      '/api/v1/payouts',
      `/api/v1/payouts/${payoutId}`,
      `/api/v1/payouts/${payoutId}/statement.pdf`,
    ]) {
      const response = await call(app, 'GET', path, { token: world.advertiser.accessToken });
      expect([response.status, await errorCode(response)], path).toEqual([403, 'forbidden']);
    }
    for (const session of [world.affiliate, world.advertiser]) {
      const response = await call(app, 'POST', `/api/v1/payouts/${payoutId}/mark-paid`, {
        token: session.accessToken,
      });
      expect([response.status, await errorCode(response)]).toEqual([403, 'forbidden']);
    }
  });
});
