import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { daysFromNow, payableWorld, setPayoutMethod } from '../../test/payout-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

type Payout = { id: string; status: string; amountMinor: number; method: string; affiliateId: number };

describe.each(testDatabases)('/api/v1/payouts on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof payableWorld>>;
  let payout: Payout;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { now: () => daysFromNow(31) });
    world = await payableWorld(app, handle.db, 5);
    // One reversed before the run: the statement shows it against its offer and day.
    await call(app, 'POST', '/api/v1/conversions/changes', {
      token: world.admin.accessToken,
      body: {
        action: 'reverse',
        conversionIds: world.conversionIds.slice(0, 1),
        reason: 'refund',
        dryRun: false,
      },
    });
    await setPayoutMethod(handle.db, world.affiliate.affiliateId ?? 0, 'bank_transfer');
    const run = await call(app, 'POST', '/api/v1/payout-runs', {
      token: world.admin.accessToken,
      body: { dryRun: false },
    });
    expect(run.status).toBe(200);
    const list = (await (
      await call(app, 'GET', '/api/v1/payouts', { token: world.affiliate.accessToken })
    ).json()) as {
      data: Payout[];
    };
    payout = list.data[0] as Payout;
  });
  afterAll(() => handle.close());

  it('lists an affiliate its own payouts, newest first, keyset-paged', async () => {
    expect(payout).toMatchObject({ status: 'sent', amountMinor: 6000, method: 'bank_transfer' });
    const one = await call(app, 'GET', `/api/v1/payouts/${payout.id}`, {
      token: world.affiliate.accessToken,
    });
    expect(await one.json()).toMatchObject({ id: payout.id });
    const page = (await (
      await call(app, 'GET', '/api/v1/payouts?limit=1', { token: world.admin.accessToken })
    ).json()) as { data: Payout[]; nextAfter: string | null };
    expect(page.data).toHaveLength(1);
    expect(page.nextAfter).toBe(payout.id);
    const next = (await (
      await call(app, 'GET', `/api/v1/payouts?limit=1&after=${page.nextAfter}`, {
        token: world.admin.accessToken,
      })
    ).json()) as { data: Payout[] };
    expect(next.data).toEqual([]);
  });

  it('marks a bank transfer paid once', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await call(app, 'POST', `/api/v1/payouts/${payout.id}/mark-paid`, {
        token: world.admin.accessToken,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'paid' });
    }
    const transfers = (await (
      await call(app, 'GET', `/api/v1/ledger/transfers?payoutId=${payout.id}`, {
        token: world.admin.accessToken,
      })
    ).json()) as { data: { kind: string }[] };
    expect(transfers.data.map((t) => t.kind)).toEqual(['payout', 'payout_settled']);
  });

  it('gives the payout statement as HTML and PDF: conversions and reversals per offer and day', async () => {
    const html = await call(app, 'GET', `/api/v1/payouts/${payout.id}/statement.html`, {
      token: world.affiliate.accessToken,
    });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    const text = await html.text();
    expect(text).toContain('approved conversions');
    expect(text).toContain('reversals');
    expect(text).toContain('$60.00');
    const pdf = await call(app, 'GET', `/api/v1/payouts/${payout.id}/statement.pdf`, {
      token: world.affiliate.accessToken,
    });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });
});
