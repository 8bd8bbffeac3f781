import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report, reportWorld } from '../../test/report-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

type Rows = { data: Record<string, unknown>[] };

describe.each(testDatabases)('/api/v1/reports on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let w: Awaited<ReturnType<typeof reportWorld>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    w = await reportWorld(app, handle.db);
  });
  afterAll(() => handle.close());

  it('reports day x offer x affiliate with every metric for admins, currencies apart', async () => {
    const response = await report(
      app,
      w.admin.accessToken,
      'from=2026-11-20&to=2026-11-21&groupBy=offer,affiliate',
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as Rows).data).toEqual([
      {
        period: '2026-11-20',
        offerId: w.usd.id,
        affiliateId: w.aff1.affiliateId,
        currency: 'USD',
        clicks: 2,
        uniqueClicks: 1,
        conversions: 1,
        revenueMinor: 1500,
        payoutMinor: 1000,
        profitMinor: 500,
        cr: 0.5,
        epcMinor: 500,
      },
      {
        period: '2026-11-20',
        offerId: w.usd.id,
        affiliateId: w.aff2.affiliateId,
        currency: 'USD',
        clicks: 1,
        uniqueClicks: 1,
        conversions: 1,
        revenueMinor: 1500,
        payoutMinor: 1000,
        profitMinor: 500,
        cr: 1,
        epcMinor: 1000,
      },
      {
        period: '2026-11-21',
        offerId: w.eur.id,
        affiliateId: w.aff1.affiliateId,
        currency: 'EUR',
        clicks: 1,
        uniqueClicks: 1,
        conversions: 1,
        revenueMinor: 1000,
        payoutMinor: 700,
        profitMinor: 300,
        cr: 1,
        epcMinor: 700,
      },
    ]);
  });

  it('buckets days in the requested time zone, from the rollup or, for half-hour zones, the raw events', async () => {
    for (const timezone of ['Europe/Berlin', 'Asia/Kolkata']) {
      const response = await report(
        app,
        w.admin.accessToken,
        `from=2026-11-20&to=2026-11-21&timezone=${timezone}&groupBy=offer`,
      );
      const rows = ((await response.json()) as Rows).data.map((r) => [
        r.period,
        r.offerId,
        r.clicks,
        r.conversions,
      ]);
      expect(rows, timezone).toEqual([
        ['2026-11-20', w.usd.id, 2, 1],
        // Within a period rows are ordered by currency, then dimensions.
        ['2026-11-21', w.eur.id, 1, 1],
        ['2026-11-21', w.usd.id, 1, 1],
      ]);
    }
    const hourly = await report(
      app,
      w.admin.accessToken,
      'from=2026-11-21&to=2026-11-21&timezone=Europe/Berlin&granularity=hour',
    );
    expect(((await hourly.json()) as Rows).data.map((r) => [r.period, r.currency, r.clicks])).toEqual([
      ['2026-11-21T00:00', 'USD', 1],
      ['2026-11-21T09:00', 'EUR', 1],
      ['2026-11-21T10:00', 'EUR', 0],
    ]);
  });

  it('follows daylight saving time changes inside the range', async () => {
    const { ingestEvents } = await import('../ingest/ingest-events.ts');
    const { clickEvent } = await import('../../test/tracking-events.ts');
    // Berlin leaves summer time on 2026-10-25: 22:30 UTC is 00:30 local on the 24th-25th night
    // (UTC+2), and 22:30 UTC the next evening is 23:30 local (UTC+1), both on the 25th.
    const events = [
      await clickEvent({
        offerId: w.usd.id,
        affiliateId: w.aff1.affiliateId!,
        occurredAt: '2026-10-24T22:30:00.000Z',
      }),
      await clickEvent({
        offerId: w.usd.id,
        affiliateId: w.aff1.affiliateId!,
        occurredAt: '2026-10-25T22:30:00.000Z',
      }),
      await clickEvent({
        offerId: w.usd.id,
        affiliateId: w.aff1.affiliateId!,
        occurredAt: '2026-10-24T21:30:00.000Z',
      }),
    ];
    await ingestEvents(handle.db, { events });
    const response = await report(
      app,
      w.admin.accessToken,
      'from=2026-10-24&to=2026-10-26&timezone=Europe/Berlin',
    );
    expect(((await response.json()) as Rows).data.map((r) => [r.period, r.clicks])).toEqual([
      ['2026-10-24', 1],
      ['2026-10-25', 2],
    ]);
  });

  it('answers dimensions outside the rollup (sub2, creative) from the raw events, with the same totals', async () => {
    const rollup = await report(
      app,
      w.admin.accessToken,
      'from=2026-11-20&to=2026-11-21&granularity=total&groupBy=sub1',
    );
    const raw = await report(
      app,
      w.admin.accessToken,
      'from=2026-11-20&to=2026-11-21&granularity=total&groupBy=sub1,sub2',
    );
    const sum = (rows: Record<string, unknown>[], sub1: string, key: string) =>
      rows.filter((r) => r.sub1 === sub1).reduce((n, r) => n + Number(r[key]), 0);
    const a = ((await rollup.json()) as Rows).data;
    const b = ((await raw.json()) as Rows).data;
    for (const sub1 of ['a', 'b']) {
      for (const key of ['clicks', 'uniqueClicks', 'conversions', 'payoutMinor'])
        expect(sum(b, sub1, key)).toBe(sum(a, sub1, key));
    }
    expect(b.filter((r) => r.sub1 === 'a').map((r) => [r.sub2, r.currency, r.clicks])).toEqual([
      ['x', 'EUR', 1],
      ['x', 'USD', 1],
      ['y', 'USD', 1],
    ]);
  });

  it('gives each role only its traffic and its money', async () => {
    const asAffiliate = (
      (await (
        await report(app, w.aff2.accessToken, 'from=2026-11-20&to=2026-11-21&granularity=total')
      ).json()) as Rows
    ).data;
    expect(asAffiliate).toEqual([
      {
        period: null,
        currency: 'USD',
        clicks: 1,
        uniqueClicks: 1,
        conversions: 1,
        payoutMinor: 1000,
        cr: 1,
        epcMinor: 1000,
      },
    ]);
    const asAdvertiser = (
      (await (
        await report(
          app,
          w.adv2.accessToken,
          'from=2026-11-20&to=2026-11-21&granularity=total&groupBy=advertiser',
        )
      ).json()) as Rows
    ).data;
    expect(asAdvertiser).toEqual([
      {
        period: null,
        advertiserId: w.adv2.advertiserId,
        currency: 'EUR',
        clicks: 1,
        uniqueClicks: 1,
        conversions: 1,
        revenueMinor: 1000,
        cr: 1,
      },
    ]);
  });

  it('streams the same rows as CSV', async () => {
    const response = await report(
      app,
      w.aff1.accessToken,
      'from=2026-11-20&to=2026-11-21&groupBy=offer&format=csv',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toContain('report-2026-11-20-2026-11-21.csv');
    expect(await response.text()).toBe(
      'period,offerId,currency,clicks,uniqueClicks,conversions,payoutMinor,cr,epcMinor\r\n' +
        `2026-11-20,${w.usd.id},USD,2,1,1,1000,0.5,500\r\n` +
        `2026-11-21,${w.eur.id},EUR,1,1,1,700,1,700\r\n`,
    );
  });
});
