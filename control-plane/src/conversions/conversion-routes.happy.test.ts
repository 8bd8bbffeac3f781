import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { conversionWorld } from '../../test/conversion-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { conversionChanges } from '../db/schema/conversions.ts';
import { hourlyStats } from '../db/schema/hourly-stats.ts';

describe.each(testDatabases)('/api/v1/conversions on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('lists conversions newest first with filters and cursor pages, each role seeing its own money', async () => {
    const w = await conversionWorld(app, handle.db, 3);
    const byAdmin = await call(app, 'GET', `/api/v1/conversions?offerId=${w.offer.id}&limit=2`, {
      token: w.admin.accessToken,
    });
    const page1 = (await byAdmin.json()) as {
      data: { id: string; occurredAt: string; payoutMinor: number; revenueMinor: number }[];
      nextCursor: string;
    };
    expect(page1.data).toHaveLength(2);
    expect(page1.data[0]!.occurredAt > page1.data[1]!.occurredAt).toBe(true);
    expect(page1.data[0]).toMatchObject({
      payoutMinor: 1500,
      revenueMinor: 2500,
      status: 'pending',
      sub1: 's1',
      country: 'DE',
    });
    const page2 = await call(
      app,
      'GET',
      `/api/v1/conversions?offerId=${w.offer.id}&limit=2&cursor=${page1.nextCursor}`,
      {
        token: w.admin.accessToken,
      },
    );
    const rest = (await page2.json()) as { data: { id: string }[]; nextCursor: string | null };
    expect(rest.data).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    expect(new Set([...page1.data, ...rest.data].map((c) => c.id))).toEqual(new Set(w.conversionIds));

    const asAdvertiser = (await (
      await call(app, 'GET', `/api/v1/conversions?txid=${w.txids[0]}`, { token: w.advertiser.accessToken })
    ).json()) as { data: Record<string, unknown>[] };
    expect(asAdvertiser.data).toHaveLength(1);
    expect(asAdvertiser.data[0]).toMatchObject({ revenueMinor: 2500 });
    expect(asAdvertiser.data[0]).not.toHaveProperty('payoutMinor');
    const asAffiliate = (await (
      await call(app, 'GET', `/api/v1/conversions/${w.conversionIds[0]}`, { token: w.affiliate.accessToken })
    ).json()) as Record<string, unknown>;
    expect(asAffiliate).toMatchObject({ payoutMinor: 1500 });
    expect(asAffiliate).not.toHaveProperty('revenueMinor');
    const window = await call(
      app,
      'GET',
      `/api/v1/conversions?from=2026-11-20T11:01:00Z&to=2026-11-20T11:02:00Z&status=pending`,
      { token: w.affiliate.accessToken },
    );
    expect(((await window.json()) as { data: unknown[] }).data).toHaveLength(1);
  });

  it('counts first, then approves by txid, logging each change', async () => {
    const w = await conversionWorld(app, handle.db, 3);
    const body = { action: 'approve', offerId: w.offer.id, txids: [w.txids[0], w.txids[1], 'NO-SUCH-ORDER'] };
    const dry = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: w.advertiser.accessToken,
      body,
    });
    expect(await dry.json()).toMatchObject({ dryRun: true, matched: 2, changed: 2 });
    const listed = await call(app, 'GET', `/api/v1/conversions?offerId=${w.offer.id}&status=approved`, {
      token: w.admin.accessToken,
    });
    expect(((await listed.json()) as { data: unknown[] }).data).toEqual([]);

    const applied = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: w.advertiser.accessToken,
      body: { ...body, dryRun: false, reason: 'validated orders' },
    });
    expect(await applied.json()).toMatchObject({ dryRun: false, matched: 2, changed: 2 });
    const approved = await call(app, 'GET', `/api/v1/conversions?offerId=${w.offer.id}&status=approved`, {
      token: w.admin.accessToken,
    });
    expect(((await approved.json()) as { data: unknown[] }).data).toHaveLength(2);
    const again = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: w.advertiser.accessToken,
      body,
    });
    expect(await again.json()).toMatchObject({ matched: 2, changed: 0 });
    const log = await handle.db
      .select()
      .from(conversionChanges)
      .where(eq(conversionChanges.action, 'approve'));
    expect(log.filter((l) => w.conversionIds.includes(l.conversionId))).toHaveLength(2);
    expect(log[0]).toMatchObject({
      before: { status: 'pending' },
      after: { status: 'approved' },
      reason: 'validated orders',
      userId: w.advertiser.userId,
    });
  });

  it('reverses and adjusts by id, and the hourly rollup follows', async () => {
    const w = await conversionWorld(app, handle.db, 2);
    const rollup = async () => {
      const rows = await handle.db
        .select()
        .from(hourlyStats)
        .where(
          and(eq(hourlyStats.offerId, w.offer.id), eq(hourlyStats.hour, new Date('2026-11-20T11:00:00Z'))),
        );
      return {
        conversions: rows.reduce((n, r) => n + r.conversions, 0),
        payout: rows.reduce((n, r) => n + r.payoutMinor, 0),
        revenue: rows.reduce((n, r) => n + r.revenueMinor, 0),
      };
    };
    expect(await rollup()).toEqual({ conversions: 2, payout: 3000, revenue: 5000 });
    const adjust = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: w.admin.accessToken,
      body: {
        action: 'adjust',
        conversionIds: [w.conversionIds[0]],
        payoutMinor: 1000,
        revenueMinor: 2000,
        reason: 'partial refund',
        dryRun: false,
      },
    });
    expect(await adjust.json()).toMatchObject({ changed: 1 });
    expect(await rollup()).toEqual({ conversions: 2, payout: 2500, revenue: 4500 });
    const reverse = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: w.admin.accessToken,
      body: { action: 'reverse', conversionIds: [w.conversionIds[1]], reason: 'chargeback', dryRun: false },
    });
    expect(await reverse.json()).toMatchObject({ changed: 1 });
    expect(await rollup()).toEqual({ conversions: 1, payout: 1000, revenue: 2000 });
    const read = await call(app, 'GET', `/api/v1/conversions/${w.conversionIds[1]}`, {
      token: w.admin.accessToken,
    });
    expect(await read.json()).toMatchObject({ status: 'rejected' });
    // Approving it back counts it again.
    await call(app, 'POST', '/api/v1/conversions/changes', {
      token: w.admin.accessToken,
      body: { action: 'approve', conversionIds: [w.conversionIds[1]], dryRun: false },
    });
    expect(await rollup()).toEqual({ conversions: 2, payout: 2500, revenue: 4500 });
  });
});
