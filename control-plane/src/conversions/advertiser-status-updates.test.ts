import { statusUpdateIdFor } from '@tas/shared/conversion-id';
import type { ConversionStatusEvent } from '@tas/shared/events';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversionWorld } from '../../test/conversion-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { conversionChanges, conversionStatusUpdates, conversions } from '../db/schema/conversions.ts';
import { expireOrphanedStatusUpdates } from './advertiser-status-updates.ts';

async function statusEvent(
  conversion: { id: string; clickId: string; offerId: number },
  status: ConversionStatusEvent['status'],
  occurredAt = new Date().toISOString(),
  trusted = true,
): Promise<ConversionStatusEvent> {
  return {
    type: 'conversion_status',
    id: await statusUpdateIdFor({
      conversionId: conversion.id,
      status,
      clickId: conversion.clickId,
      occurredAt,
    }),
    occurredAt,
    conversionId: conversion.id,
    clickId: conversion.clickId,
    offerId: conversion.offerId,
    status,
    trusted,
  };
}

describe.each(testDatabases)('advertiser status changes by postback, on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof conversionWorld>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    world = await conversionWorld(app, handle.db, 3);
  });
  afterAll(() => handle.close());

  const ingest = async (events: unknown[]) => {
    const response = await app.request('/internal/ingest', await signedIngest({ events }));
    expect(response.status).toBe(200);
    return response.json();
  };
  const stored = async (id: string) => {
    const [row] = await handle.db.select().from(conversions).where(eq(conversions.id, id));
    return row!;
  };
  const changesOf = (id: string) =>
    handle.db.select().from(conversionChanges).where(eq(conversionChanges.conversionId, id));
  const approvedInRollup = async () => {
    const [row] = await queryRows<{ n: string | number; revenue: string | number }>(
      handle.db,
      sql`SELECT coalesce(sum(conversions), 0) AS n, coalesce(sum(revenue_minor), 0) AS revenue
          FROM hourly_stats WHERE offer_id = ${world.offer.id}`,
    );
    return { n: Number(row?.n), revenue: Number(row?.revenue) };
  };

  it('moves a pending conversion to approved, audited, once however often the change is redelivered', async () => {
    const id = world.conversionIds[0]!;
    expect((await stored(id)).status).toBe('pending');
    const update = await statusEvent(await stored(id), 'approved');
    await ingest([update]);
    await ingest([update]);
    expect(await stored(id)).toMatchObject({ status: 'approved', advertiserStatus: 'approved' });
    const changes = await changesOf(id);
    expect(changes).toEqual([
      expect.objectContaining({
        action: 'approve',
        reason: 'advertiser postback',
        userId: null,
        before: expect.objectContaining({ status: 'pending' }),
        after: expect.objectContaining({ status: 'approved' }),
      }),
    ]);
  });

  it('takes a chargeback (rejected) off the rollup', async () => {
    const id = world.conversionIds[1]!;
    const before = await approvedInRollup();
    await ingest([await statusEvent(await stored(id), 'rejected')]);
    expect((await stored(id)).status).toBe('rejected');
    expect(await approvedInRollup()).toEqual({ n: before.n - 1, revenue: before.revenue - 2500 });
  });

  it('applies a change that overtook its conversion once the conversion arrives', async () => {
    const click = await clickEvent({
      offerId: world.offer.id,
      affiliateId: world.affiliate.affiliateId!,
      occurredAt: '2026-11-20T12:00:00.000Z',
    });
    const conversion = conversionEvent(click, {
      advertiserStatus: 'pending',
      occurredAt: '2026-11-20T12:30:00.000Z',
    });
    await ingest([await statusEvent(conversion, 'approved')]);
    const [waiting] = await handle.db
      .select()
      .from(conversionStatusUpdates)
      .where(eq(conversionStatusUpdates.conversionId, conversion.id));
    expect(waiting?.appliedAt).toBeNull();

    await ingest([click, conversion]);
    expect((await stored(conversion.id)).status).toBe('approved');
  });

  it('ignores an older change that arrives after a newer one was applied', async () => {
    const id = world.conversionIds[2]!;
    await ingest([await statusEvent(await stored(id), 'rejected', '2026-11-21T10:00:00.000Z')]);
    await ingest([await statusEvent(await stored(id), 'approved', '2026-11-21T09:00:00.000Z')]);
    expect((await stored(id)).status).toBe('rejected');
    const updates = await handle.db
      .select()
      .from(conversionStatusUpdates)
      .where(eq(conversionStatusUpdates.conversionId, id));
    expect(updates.map((u) => [u.status, u.outcome]).sort()).toEqual([
      ['approved', 'superseded'],
      ['rejected', 'changed'],
    ]);
  });

  it('does not let an advertiser approve a conversion the edge rejected over a cap', async () => {
    const click = await clickEvent({
      offerId: world.offer.id,
      affiliateId: world.affiliate.affiliateId!,
      occurredAt: '2026-11-20T13:00:00.000Z',
    });
    const capped = conversionEvent(click, { reason: 'cap_reached', occurredAt: '2026-11-20T13:10:00.000Z' });
    await ingest([click, capped]);
    await ingest([await statusEvent(capped, 'approved')]);
    expect(await stored(capped.id)).toMatchObject({ status: 'rejected', reason: 'cap_reached' });
    const [update] = await handle.db
      .select()
      .from(conversionStatusUpdates)
      .where(eq(conversionStatusUpdates.conversionId, capped.id));
    expect(update?.outcome).toBe('refused');
  });

  /** A pending conversion of a fresh click, stored. */
  async function pendingConversion(minute: number) {
    const click = await clickEvent({
      offerId: world.offer.id,
      affiliateId: world.affiliate.affiliateId!,
      occurredAt: `2026-11-20T14:${String(minute).padStart(2, '0')}:00.000Z`,
    });
    const conversion = conversionEvent(click, {
      advertiserStatus: 'pending',
      occurredAt: '2026-11-20T15:00:00.000Z',
    });
    await ingest([click, conversion]);
    return conversion;
  }

  it("refuses a change that names another click than the conversion's", async () => {
    const conversion = await pendingConversion(1);
    const otherClick = await clickEvent({
      offerId: world.offer.id,
      affiliateId: world.affiliate.affiliateId!,
      occurredAt: '2026-11-20T14:30:00.000Z',
    });
    await ingest([await statusEvent({ ...conversion, clickId: otherClick.id }, 'rejected')]);
    expect((await stored(conversion.id)).status).toBe('pending');
    const [refused] = await handle.db
      .select()
      .from(conversionStatusUpdates)
      .where(eq(conversionStatusUpdates.conversionId, conversion.id));
    expect(refused?.outcome).toBe('refused');

    // The advertiser's own postback, naming the conversion's click, still works.
    await ingest([await statusEvent(conversion, 'approved')]);
    expect((await stored(conversion.id)).status).toBe('approved');
  });

  it('does not let an untrusted postback approve a conversion held for review, and lets a trusted one', async () => {
    const click = await clickEvent({
      offerId: world.offer.id,
      affiliateId: world.affiliate.affiliateId!,
      occurredAt: '2026-11-20T16:00:00.000Z',
    });
    const held = conversionEvent(click, {
      fraudFlags: ['bot_click'],
      occurredAt: '2026-11-20T16:05:00.000Z',
    });
    await ingest([click, held]);
    expect((await stored(held.id)).status).toBe('pending');
    // The affiliate itself, posting its own click and order to an offer without a secret.
    await ingest([await statusEvent(held, 'approved', '2026-11-20T16:10:00.000Z', false)]);
    expect((await stored(held.id)).status).toBe('pending');
    await ingest([await statusEvent(held, 'approved', '2026-11-20T16:20:00.000Z', true)]);
    expect((await stored(held.id)).status).toBe('approved');
    const updates = await handle.db
      .select()
      .from(conversionStatusUpdates)
      .where(eq(conversionStatusUpdates.conversionId, held.id));
    expect(updates.map((u) => [u.trusted, u.outcome]).sort()).toEqual([
      [false, 'refused'],
      [true, 'changed'],
    ]);
  });

  it('takes approved, charged back, approved again as three changes', async () => {
    const conversion = await pendingConversion(40);
    for (const [status, at] of [
      ['approved', '2026-11-21T08:00:00.000Z'],
      ['rejected', '2026-11-21T09:00:00.000Z'],
      ['approved', '2026-11-21T10:00:00.000Z'],
    ] as const) {
      await ingest([await statusEvent(conversion, status, at)]);
      expect((await stored(conversion.id)).status, at).toBe(status);
    }
  });

  it('lets a change made through the API after a postback win over it', async () => {
    const conversion = await pendingConversion(2);
    const before = new Date(Date.now() - 60_000).toISOString();
    const approved = await app.request('/api/v1/conversions/changes', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${world.admin.accessToken}` },
      body: JSON.stringify({ action: 'approve', conversionIds: [conversion.id], dryRun: false }),
    });
    expect(approved.status).toBe(200);
    await ingest([await statusEvent(conversion, 'rejected', before)]);
    expect((await stored(conversion.id)).status).toBe('approved');
    const [update] = await handle.db
      .select()
      .from(conversionStatusUpdates)
      .where(eq(conversionStatusUpdates.conversionId, conversion.id));
    expect(update?.outcome).toBe('superseded');
  });

  it('gives up a change whose conversion never arrived after 30 days, and only then', async () => {
    const lost = crypto.randomUUID();
    const recent = crypto.randomUUID();
    const now = new Date();
    const base = {
      clickId: 'x'.repeat(44),
      offerId: world.offer.id,
      status: 'approved' as const,
      occurredAt: now,
    };
    await handle.db.insert(conversionStatusUpdates).values([
      {
        ...base,
        id: crypto.randomUUID(),
        conversionId: lost,
        receivedAt: new Date(now.getTime() - 31 * 86_400_000),
      },
      {
        ...base,
        id: crypto.randomUUID(),
        conversionId: recent,
        receivedAt: new Date(now.getTime() - 86_400_000),
      },
    ]);
    expect(await expireOrphanedStatusUpdates(handle.db, now)).toBe(1);
    const outcomes = await handle.db
      .select({
        conversionId: conversionStatusUpdates.conversionId,
        outcome: conversionStatusUpdates.outcome,
      })
      .from(conversionStatusUpdates)
      .where(inArray(conversionStatusUpdates.conversionId, [lost, recent]));
    expect(Object.fromEntries(outcomes.map((o) => [o.conversionId, o.outcome]))).toEqual({
      [lost]: 'orphaned',
      [recent]: null,
    });
  });
});
