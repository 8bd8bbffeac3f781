import type { ClickEvent } from '@tas/shared/events';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp } from '../../test/api-client.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { report, reportWorld } from '../../test/report-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import { type DatabaseHandle, queryRows } from '../db/database.ts';

type Rows = { data: Record<string, unknown>[] };

/** The click counts of a report row whose clicks are all clean. */
const allClean = (clicks: number) => ({
  clicks,
  uniqueClicks: clicks,
  cleanClicks: clicks,
  invalidClicks: 0,
  botClicks: 0,
  duplicateClicks: 0,
  blockedClicks: 0,
  velocityClicks: 0,
});

/** The conversion counts of a report row: approved ones count, rejected ones only as such. */
const approved = (n: number, rejected = 0) => ({
  conversions: n,
  approvedConversions: n,
  pendingConversions: 0,
  rejectedConversions: rejected,
});

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
        // The world's second click is a duplicate (not unique): invalid, so cr and epc are per
        // the one clean click.
        clicks: 2,
        uniqueClicks: 1,
        cleanClicks: 1,
        invalidClicks: 1,
        botClicks: 0,
        duplicateClicks: 1,
        blockedClicks: 0,
        velocityClicks: 0,
        ...approved(1),
        revenueMinor: 1500,
        payoutMinor: 1000,
        profitMinor: 500,
        cr: 1,
        epcMinor: 1000,
      },
      {
        period: '2026-11-20',
        offerId: w.usd.id,
        affiliateId: w.aff2.affiliateId,
        currency: 'USD',
        ...allClean(1),
        ...approved(1),
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
        ...allClean(1),
        // Its second conversion was rejected (cap reached): counted apart, without its money.
        ...approved(1, 1),
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
      for (const key of [
        'clicks',
        'uniqueClicks',
        'cleanClicks',
        'duplicateClicks',
        'conversions',
        'payoutMinor',
      ])
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
        ...allClean(1),
        ...approved(1),
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
        ...allClean(1),
        ...approved(1, 1),
        revenueMinor: 1000,
        cr: 1,
      },
    ]);
  });

  it('shows gross, clean and invalid clicks per affiliate, rates per clean click, from the rollup and the raw events alike', async () => {
    // An advertiser of its own, so the report can be narrowed to these two offers.
    const advertiser = await signUp(app, 'advertiser');
    const cpa = await apiOffer(app, advertiser, {
      visibility: 'public',
      payoutMinor: 1000,
      revenueMinor: 1500,
      currency: 'USD',
    });
    const cpc = await apiOffer(app, advertiser, {
      visibility: 'public',
      payoutType: 'cpc',
      payoutMinor: 30,
      revenueMinor: 50,
      currency: 'USD',
    });
    const a = w.aff1.affiliateId!;
    const b = w.aff2.affiliateId!;
    // cpc pays by the rates in force at the click, so the clicks come after the offers were
    // created, as they would: from now on, a minute apart, each from its own ip (only the flags
    // make a click invalid).
    const start = Date.now();
    let minute = 0;
    const click = (offerId: number, affiliateId: number, overrides: Partial<ClickEvent> = {}) =>
      clickEvent({
        offerId,
        affiliateId,
        occurredAt: new Date(start + ++minute * 60_000).toISOString(),
        ip: `198.51.100.${minute}`,
        ...overrides,
      });
    const converted = new Date(start + 30 * 60_000).toISOString();
    const bot: Partial<ClickEvent> = { fraudFlags: ['bot'] };
    const duplicate: Partial<ClickEvent> = { fraudFlags: ['duplicate_click'], unique: false };
    const velocity: Partial<ClickEvent> = { fraudFlags: ['ip_velocity'] };
    const cpaClean = [await click(cpa.id, a), await click(cpa.id, a), await click(cpa.id, a)];
    const cpaB = [await click(cpa.id, b), await click(cpa.id, b)];
    const events = [
      ...cpaClean,
      await click(cpa.id, a, bot),
      await click(cpa.id, a, bot),
      await click(cpa.id, a, duplicate),
      await click(cpa.id, a, { fraudFlags: ['blocked_user_agent'] }),
      // One click may carry several flags: it is one invalid click, counted in each breakdown.
      await click(cpa.id, a, { fraudFlags: ['blocked_ip', 'ip_velocity'] }),
      await click(cpa.id, a, velocity),
      ...cpaB,
      conversionEvent(cpaClean[0]!, { occurredAt: converted }),
      conversionEvent(cpaB[1]!, { occurredAt: converted }),
      await click(cpc.id, a),
      await click(cpc.id, a),
      await click(cpc.id, a, bot),
      await click(cpc.id, a, duplicate),
      await click(cpc.id, a, velocity),
      await click(cpc.id, b),
    ];
    const ingest = await app.request('/internal/ingest', await signedIngest({ events }));
    expect(await ingest.json()).toMatchObject({ clicksInserted: 17, conversionsInserted: 2, quarantined: 0 });

    const expected = [
      // Affiliate A on the cpa offer: 9 clicks, 6 of them invalid. Per gross click cr would be
      // 1/9 and epc 1000/9; per clean click they are 1/3 and 1000/3.
      {
        offerId: cpa.id,
        affiliateId: a,
        clicks: 9,
        uniqueClicks: 8,
        cleanClicks: 3,
        invalidClicks: 6,
        botClicks: 2,
        duplicateClicks: 1,
        blockedClicks: 2,
        velocityClicks: 2,
        ...approved(1),
        revenueMinor: 1500,
        payoutMinor: 1000,
        profitMinor: 500,
        cr: 0.3333,
        epcMinor: 333.33,
      },
      {
        offerId: cpa.id,
        affiliateId: b,
        ...allClean(2),
        ...approved(1),
        revenueMinor: 1500,
        payoutMinor: 1000,
        profitMinor: 500,
        cr: 0.5,
        epcMinor: 500,
      },
      // The cpc offer pays A's 2 clean clicks only, not its bot, duplicate or velocity click.
      {
        offerId: cpc.id,
        affiliateId: a,
        clicks: 5,
        uniqueClicks: 4,
        cleanClicks: 2,
        invalidClicks: 3,
        botClicks: 1,
        duplicateClicks: 1,
        blockedClicks: 0,
        velocityClicks: 1,
        ...approved(0),
        revenueMinor: 2 * 50,
        payoutMinor: 2 * 30,
        profitMinor: 2 * 20,
        cr: 0,
        epcMinor: 30,
      },
      {
        offerId: cpc.id,
        affiliateId: b,
        ...allClean(1),
        ...approved(0),
        revenueMinor: 50,
        payoutMinor: 30,
        profitMinor: 20,
        cr: 0,
        epcMinor: 30,
      },
    ].map((row) => ({ period: null, currency: 'USD', ...row }));
    const date = (days: number) => new Date(start + days * 86_400_000).toISOString().slice(0, 10);
    const day = `from=${date(-1)}&to=${date(1)}&granularity=total`;
    const mine = `${day}&advertiserId=${advertiser.advertiserId}`;
    const rollup = await report(app, w.admin.accessToken, `${mine}&groupBy=offer,affiliate`);
    expect(((await rollup.json()) as Rows).data).toEqual(expected);
    // sub2 and creative are not in the rollup: these are counted from the clicks' own flags.
    for (const [dimension, column, none] of [
      ['sub2', 'sub2', ''],
      ['creative', 'creativeId', null],
    ] as const) {
      const raw = await report(app, w.admin.accessToken, `${mine}&groupBy=offer,affiliate,${dimension}`);
      expect(((await raw.json()) as Rows).data, dimension).toEqual(
        expected.map((row) => ({ ...row, [column]: none })),
      );
    }
    // Affiliate A sees the same counts of its own traffic.
    const own = await report(app, w.aff1.accessToken, `${day}&groupBy=offer&offerId=${cpa.id}`);
    expect(((await own.json()) as Rows).data).toEqual([
      {
        period: null,
        offerId: cpa.id,
        currency: 'USD',
        clicks: 9,
        uniqueClicks: 8,
        cleanClicks: 3,
        invalidClicks: 6,
        botClicks: 2,
        duplicateClicks: 1,
        blockedClicks: 2,
        velocityClicks: 2,
        ...approved(1),
        payoutMinor: 1000,
        cr: 0.3333,
        epcMinor: 333.33,
      },
    ]);
  });

  it('splits conversions by status, and a status change moves one between the columns, in the rollup and the raw events alike', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const offer = await apiOffer(app, advertiser, {
      visibility: 'public',
      payoutMinor: 1000,
      revenueMinor: 1500,
      currency: 'USD',
    });
    const a = w.aff1.affiliateId!;
    const at = (minute: number) => `2026-11-10T12:${String(minute).padStart(2, '0')}:00.000Z`;
    const clicks = [
      await clickEvent({ offerId: offer.id, affiliateId: a, occurredAt: at(1), ip: '198.51.100.21' }),
      await clickEvent({ offerId: offer.id, affiliateId: a, occurredAt: at(2), ip: '198.51.100.22' }),
      await clickEvent({ offerId: offer.id, affiliateId: a, occurredAt: at(3), ip: '198.51.100.23' }),
    ];
    const conversions = [
      conversionEvent(clicks[0]!, { occurredAt: at(11) }),
      conversionEvent(clicks[1]!, { occurredAt: at(12), advertiserStatus: 'pending' }),
      conversionEvent(clicks[2]!, { occurredAt: at(13), reason: 'cap_reached' }),
    ];
    const ingest = await app.request(
      '/internal/ingest',
      await signedIngest({ events: [...clicks, ...conversions] }),
    );
    expect(await ingest.json()).toMatchObject({ clicksInserted: 3, conversionsInserted: 3, quarantined: 0 });

    const query = `from=2026-11-10&to=2026-11-10&granularity=total&advertiserId=${advertiser.advertiserId}`;
    const counts = async () => {
      const pick = (rows: Record<string, unknown>[]) =>
        rows.map((r) => ({
          conversions: r.conversions,
          approvedConversions: r.approvedConversions,
          pendingConversions: r.pendingConversions,
          rejectedConversions: r.rejectedConversions,
          payoutMinor: r.payoutMinor,
          revenueMinor: r.revenueMinor,
        }));
      const rollup = pick(
        ((await (await report(app, w.admin.accessToken, `${query}&groupBy=offer`)).json()) as Rows).data,
      );
      // sub2 is not in the rollup: these come from the conversions' own status.
      const raw = pick(
        ((await (await report(app, w.admin.accessToken, `${query}&groupBy=offer,sub2`)).json()) as Rows).data,
      );
      expect(raw).toEqual(rollup);
      return rollup;
    };
    const money = (n: number) => ({ payoutMinor: n * 1000, revenueMinor: n * 1500 });
    expect(await counts()).toEqual([
      { conversions: 2, approvedConversions: 1, pendingConversions: 1, rejectedConversions: 1, ...money(2) },
    ]);

    const [approvedId, pendingId, rejectedId] = await Promise.all(
      conversions.map(async (c) => {
        const [row] = await queryRows<{ id: string }>(
          handle.db,
          sql`SELECT id::text AS id FROM conversions WHERE txid = ${c.txid}`,
        );
        return row!.id;
      }),
    );
    const change = async (action: string, id: string) => {
      const response = await call(app, 'POST', '/api/v1/conversions/changes', {
        token: w.admin.accessToken,
        body: { action, conversionIds: [id], dryRun: false, reason: 'test' },
      });
      expect(await response.json()).toMatchObject({ changed: 1 });
    };
    // Approved -> rejected: out of conversions and money, into rejected.
    await change('reject', approvedId!);
    expect(await counts()).toEqual([
      { conversions: 1, approvedConversions: 0, pendingConversions: 1, rejectedConversions: 2, ...money(1) },
    ]);
    // Pending -> approved, rejected -> pending.
    await change('approve', pendingId!);
    await change('pend', rejectedId!);
    expect(await counts()).toEqual([
      { conversions: 2, approvedConversions: 1, pendingConversions: 1, rejectedConversions: 1, ...money(2) },
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
      'period,offerId,currency,clicks,uniqueClicks,cleanClicks,invalidClicks,botClicks,duplicateClicks,' +
        'blockedClicks,velocityClicks,conversions,approvedConversions,pendingConversions,rejectedConversions,' +
        'payoutMinor,cr,epcMinor\r\n' +
        `2026-11-20,${w.usd.id},USD,2,1,1,1,0,1,0,0,1,1,0,0,1000,1,1000\r\n` +
        `2026-11-21,${w.eur.id},EUR,1,1,1,0,0,0,0,0,1,1,0,1,700,1,700\r\n`,
    );
  });
});
