import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { daysFromNow, payableWorld, setPayoutMethod } from '../../test/payout-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

type Line = { affiliateId: number; amountMinor: number | null; skipReason: string | null };
type RunResult = {
  dryRun: boolean;
  run: { id: string; status: string } | null;
  paid: Line[];
  skipped: Line[];
};

describe.each(testDatabases)('/api/v1/payout-runs on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof payableWorld>>;
  beforeAll(async () => {
    handle = await open();
    // The run's clock is past the 30 days' hold of the conversions approved now.
    app = testApp(handle.db, { now: () => daysFromNow(31) });
    world = await payableWorld(app, handle.db, 4);
    await call(app, 'PUT', `/api/v1/affiliates/${world.affiliate.affiliateId}/payment-details`, {
      token: world.affiliate.accessToken,
      body: { method: 'wire', accountHolder: 'Blue Media', iban: 'DE89 3704 0044 0532 0130 00' },
    });
  });
  afterAll(() => handle.close());

  it('dry-runs by default: who would be paid what and who is skipped, moving nothing', async () => {
    const response = await call(app, 'POST', '/api/v1/payout-runs', {
      token: world.admin.accessToken,
      body: {},
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as RunResult;
    expect(body.dryRun).toBe(true);
    expect(body.run).toBeNull();
    expect(body.skipped).toEqual([
      expect.objectContaining({
        affiliateId: world.affiliate.affiliateId,
        skipReason: 'no_method',
        amountMinor: null,
      }),
    ]);
    const runs = await call(app, 'GET', '/api/v1/payout-runs', { token: world.admin.accessToken });
    expect(((await runs.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('pays when applied, lists the run, exports its bank transfers, and resumes to the same end', async () => {
    await setPayoutMethod(handle.db, world.affiliate.affiliateId ?? 0, 'bank_transfer');
    const response = await call(app, 'POST', '/api/v1/payout-runs', {
      token: world.admin.accessToken,
      body: { dryRun: false },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as RunResult;
    expect(body.run).toMatchObject({ status: 'completed' });
    expect(body.paid).toEqual([
      expect.objectContaining({ affiliateId: world.affiliate.affiliateId, amountMinor: 6000 }),
    ]);
    const runId = body.run?.id ?? '';

    const list = (await (
      await call(app, 'GET', '/api/v1/payout-runs', { token: world.admin.accessToken })
    ).json()) as {
      data: { id: string }[];
    };
    expect(list.data.map((r) => r.id)).toEqual([runId]);
    const one = await call(app, 'GET', `/api/v1/payout-runs/${runId}`, { token: world.admin.accessToken });
    expect(one.status).toBe(200);

    const csv = await call(app, 'GET', `/api/v1/payout-runs/${runId}/bank-transfers.csv`, {
      token: world.admin.accessToken,
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('60.00');
    expect(lines[1]).toContain('DE89370400440532013000');

    const resumed = await call(app, 'POST', `/api/v1/payout-runs/${runId}/resume`, {
      token: world.admin.accessToken,
    });
    expect(((await resumed.json()) as { status: string }).status).toBe('completed');
    const payouts = (await (
      await call(app, 'GET', `/api/v1/payouts?runId=${runId}`, { token: world.admin.accessToken })
    ).json()) as { data: unknown[] };
    expect(payouts.data).toHaveLength(1);
  });
});
