import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptingEdge } from '../../test/fixtures.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import { createAdvertiser } from '../advertisers/advertiser-service.ts';
import { createAffiliate } from '../affiliates/affiliate-service.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { campaigns } from '../db/schema/campaigns.ts';
import { clicks } from '../db/schema/clicks.ts';
import { conversions } from '../db/schema/conversions.ts';
import { creatives } from '../db/schema/creatives.ts';
import { hourlyStats } from '../db/schema/hourly-stats.ts';
import { createOffer, setPayoutOverride, updateOffer } from '../offers/offer-service.ts';
import { ingestEvents } from './ingest-events.ts';

const at = (iso: string) => () => new Date(iso);

describe.each(testDatabases)('ingestEvents on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  it('pays each conversion by the rates and overrides in force when its click happened', async () => {
    const db = handle.db;
    const advertiser = await createAdvertiser(db, { companyName: 'A' });
    const [a1, a2] = [
      await createAffiliate({ db, edge: acceptingEdge }, { companyName: 'one' }),
      await createAffiliate({ db, edge: acceptingEdge }, { companyName: 'two' }),
    ];
    const offer = await createOffer(
      { db, edge: acceptingEdge, now: at('2026-11-01T00:00:00Z') },
      {
        advertiserId: advertiser.id,
        name: 'O',
        payoutType: 'cpa',
        payoutMinor: 1000,
        revenueMinor: 1500,
        status: 'active',
        destinationUrl: 'https://adv.example/',
      },
    );
    // Nov 10: new default rates. Nov 12: affiliate one gets 1800. Nov 14: its override ends.
    await updateOffer({ db, edge: acceptingEdge, now: at('2026-11-10T00:00:00Z') }, offer.id, {
      payoutMinor: 1200,
      revenueMinor: 2000,
    });
    await setPayoutOverride({ db, now: at('2026-11-12T00:00:00Z') }, offer.id, a1!.id, {
      payoutMinor: 1800,
      payoutBps: 0,
    });
    await setPayoutOverride({ db, now: at('2026-11-14T00:00:00Z') }, offer.id, a1!.id, null);

    const cases: [string, number, number, number][] = [
      // click time, affiliate, payout, revenue
      ['2026-10-20T00:00:00Z', a1!.id, 1000, 1500], // before the first version: the first version
      ['2026-11-05T00:00:00Z', a1!.id, 1000, 1500],
      ['2026-11-11T00:00:00Z', a1!.id, 1200, 2000],
      ['2026-11-13T00:00:00Z', a1!.id, 1800, 2000],
      ['2026-11-13T00:00:00Z', a2!.id, 1200, 2000],
      ['2026-11-15T00:00:00Z', a1!.id, 1200, 2000],
    ];
    const events = [];
    const expected: { id: string; payoutMinor: number; revenueMinor: number }[] = [];
    for (const [clickedAt, affiliateId, payoutMinor, revenueMinor] of cases) {
      const click = await clickEvent({ offerId: offer.id, affiliateId, occurredAt: clickedAt });
      // The conversion comes long after the click, when other rates are in force.
      const conversion = conversionEvent(click, { occurredAt: '2026-11-20T00:00:00.000Z' });
      events.push(conversion);
      expected.push({ id: conversion.id, payoutMinor, revenueMinor });
    }
    expect(await ingestEvents(db, { events })).toMatchObject({ conversionsInserted: cases.length });
    const stored = await db.select().from(conversions).where(eq(conversions.offerId, offer.id));
    expect(
      stored
        .map(({ id, payoutMinor, revenueMinor }) => ({ id, payoutMinor, revenueMinor }))
        .sort((x, y) => x.id.localeCompare(y.id)),
    ).toEqual(expected.sort((x, y) => x.id.localeCompare(y.id)));
  });

  it('pays revenue share on the sale amount and nothing per conversion on cpc', async () => {
    const db = handle.db;
    const advertiser = await createAdvertiser(db, { companyName: 'A' });
    const base = {
      advertiserId: advertiser.id,
      name: 'O',
      status: 'active' as const,
      destinationUrl: 'https://adv.example/',
    };
    const revshare = await createOffer(
      { db, edge: acceptingEdge },
      { ...base, payoutType: 'revshare', payoutBps: 1000, revenueBps: 1500 },
    );
    const cpc = await createOffer(
      { db, edge: acceptingEdge },
      { ...base, payoutType: 'cpc', payoutMinor: 30, revenueMinor: 50 },
    );
    const c1 = await clickEvent({ offerId: revshare.id });
    const c2 = await clickEvent({ offerId: cpc.id });
    const sale = conversionEvent(c1, { amountMinor: 12_345 });
    const lead = conversionEvent(c2);
    await ingestEvents(db, { events: [sale, lead] });
    const [s] = await db.select().from(conversions).where(eq(conversions.id, sale.id));
    const [l] = await db.select().from(conversions).where(eq(conversions.id, lead.id));
    expect([s?.payoutMinor, s?.revenueMinor]).toEqual([1235, 1852]);
    expect([l?.payoutMinor, l?.revenueMinor]).toEqual([0, 0]);
  });

  it('pays cpc on unique clicks sent to the offer, by the rates and overrides in force at the click', async () => {
    const db = handle.db;
    const advertiser = await createAdvertiser(db, { companyName: 'C' });
    const offer = await createOffer(
      { db, edge: acceptingEdge, now: at('2026-11-01T00:00:00Z') },
      {
        advertiserId: advertiser.id,
        name: 'CPC',
        payoutType: 'cpc',
        payoutMinor: 30,
        revenueMinor: 50,
        status: 'active',
        destinationUrl: 'https://adv.example/',
      },
    );
    await updateOffer({ db, edge: acceptingEdge, now: at('2026-11-10T00:00:00Z') }, offer.id, {
      payoutMinor: 40,
    });
    const favoured = await createAffiliate({ db, edge: acceptingEdge }, { companyName: 'fav' });
    await setPayoutOverride({ db, now: at('2026-11-10T00:00:00Z') }, offer.id, favoured.id, {
      payoutMinor: 45,
      payoutBps: 0,
    });
    const base = { offerId: offer.id, affiliateId: 8 };
    const events = [
      await clickEvent({ ...base, occurredAt: '2026-11-05T10:00:00.000Z' }), // 30/50
      await clickEvent({ ...base, occurredAt: '2026-11-11T10:00:00.000Z' }), // 40/50
      await clickEvent({ ...base, occurredAt: '2026-11-11T10:10:00.000Z', unique: false }), // duplicate: 0
      await clickEvent({
        ...base,
        occurredAt: '2026-11-11T10:20:00.000Z',
        reason: 'cap_reached',
        outcome: 'fallback',
      }), // 0
      await clickEvent({
        offerId: offer.id,
        affiliateId: favoured.id,
        occurredAt: '2026-11-11T10:30:00.000Z',
      }), // 45/50
    ];
    await ingestEvents(db, { events });
    const rows = await db.select().from(clicks).where(eq(clicks.offerId, offer.id));
    const byId = new Map(rows.map((r) => [r.id, [r.payoutMinor, r.revenueMinor]]));
    expect(events.map((e) => byId.get(e.id))).toEqual([
      [30, 50],
      [40, 50],
      [0, 0],
      [0, 0],
      [45, 50],
    ]);
    const stats = await db.select().from(hourlyStats).where(eq(hourlyStats.offerId, offer.id));
    expect(stats.reduce((n, r) => n + r.payoutMinor, 0)).toBe(115);
    expect(stats.reduce((n, r) => n + r.revenueMinor, 0)).toBe(150);
  });

  it('stores the consent signals of clicks, and of conversions: their own, else their click’s', async () => {
    const db = handle.db;
    const advertiser = await createAdvertiser(db, { companyName: 'Consent' });
    const offer = await createOffer(
      { db, edge: acceptingEdge },
      {
        advertiserId: advertiser.id,
        name: 'O',
        payoutType: 'cpa',
        payoutMinor: 100,
        revenueMinor: 300,
        status: 'active',
        destinationUrl: 'https://adv.example/',
      },
    );
    const base = { offerId: offer.id, affiliateId: 11, occurredAt: '2026-11-21T09:00:00.000Z' };
    const signals = {
      consent: 'granted',
      gdpr: true,
      gdprConsent: 'CQ.tcf-test',
      adUserData: 'granted',
      adPersonalization: 'denied',
    } as const;
    const withSignals = await clickEvent({ ...base, sub1: 'signals', ...signals });
    const storedFirst = await clickEvent({ ...base, occurredAt: '2026-11-21T09:00:01.000Z', gdpr: false });
    // Its click in the same batch: the click's signals; its own `consent` wins over the click's.
    const sameBatch = conversionEvent(withSignals, { consent: 'denied' });
    await ingestEvents(db, { events: [withSignals, sameBatch] });
    // Its click stored by an earlier batch.
    const later = conversionEvent(storedFirst, { adUserData: 'denied' });
    await ingestEvents(db, { events: [storedFirst] });
    await ingestEvents(db, { events: [later] });

    const [click] = await db.select().from(clicks).where(eq(clicks.id, withSignals.id));
    expect(click).toMatchObject(signals);
    const row = async (id: string) => (await db.select().from(conversions).where(eq(conversions.id, id)))[0];
    expect(await row(sameBatch.id)).toMatchObject({ ...signals, consent: 'denied' });
    expect(await row(later.id)).toMatchObject({
      consent: null,
      gdpr: false,
      gdprConsent: null,
      adUserData: 'denied',
      adPersonalization: null,
    });
  });

  it('keeps the hourly rollup exactly in step with what was inserted, replays included', async () => {
    const db = handle.db;
    const advertiser = await createAdvertiser(db, { companyName: 'R' });
    const offer = await createOffer(
      { db, edge: acceptingEdge },
      {
        advertiserId: advertiser.id,
        name: 'O',
        payoutType: 'cpa',
        payoutMinor: 100,
        revenueMinor: 300,
        status: 'active',
        destinationUrl: 'https://adv.example/',
      },
    );
    const [campaign] = await db
      .insert(campaigns)
      .values({ advertiserId: advertiser.id, name: 'C' })
      .returning();
    const [creative] = await db
      .insert(creatives)
      .values({ campaignId: campaign!.id, name: 'B', type: 'image', url: 'https://cdn.example/b.png' })
      .returning();
    const base = { offerId: offer.id, affiliateId: 9 };
    const k1 = await clickEvent({
      ...base,
      occurredAt: '2026-11-20T10:05:00.000Z',
      sub1: 'a',
      creativeId: creative!.id,
    });
    const k2 = await clickEvent({
      ...base,
      occurredAt: '2026-11-20T10:55:00.000Z',
      sub1: 'a',
      unique: false,
    });
    const k3 = await clickEvent({
      ...base,
      occurredAt: '2026-11-20T11:01:00.000Z',
      sub1: null,
      country: null,
      device: null,
    });
    await ingestEvents(db, { events: [k1, k2, k3] });
    const ok = conversionEvent(k1, { occurredAt: '2026-11-20T12:30:00.000Z' });
    const capped = conversionEvent(k1, { occurredAt: '2026-11-20T12:40:00.000Z', reason: 'cap_reached' });
    const batch = {
      events: [ok, capped, await clickEvent({ ...base, occurredAt: '2026-11-20T12:10:00.000Z', sub1: 'a' })],
    };
    await ingestEvents(db, batch);
    await ingestEvents(db, batch); // a redelivery changes nothing

    const rows = await db
      .select()
      .from(hourlyStats)
      .where(and(eq(hourlyStats.offerId, offer.id), eq(hourlyStats.affiliateId, 9)));
    const view = rows
      .map((r) => ({
        hour: r.hour.toISOString(),
        sub1: r.sub1,
        country: r.country,
        device: r.device,
        clicks: r.clicks,
        unique: r.uniqueClicks,
        conversions: r.conversions,
        payout: r.payoutMinor,
        revenue: r.revenueMinor,
      }))
      .sort((a, b) => (a.hour + a.sub1).localeCompare(b.hour + b.sub1));
    expect(view).toEqual([
      {
        hour: '2026-11-20T10:00:00.000Z',
        sub1: 'a',
        country: 'DE',
        device: 'mobile',
        clicks: 2,
        unique: 1,
        conversions: 0,
        payout: 0,
        revenue: 0,
      },
      {
        hour: '2026-11-20T11:00:00.000Z',
        sub1: '',
        country: '',
        device: '',
        clicks: 1,
        unique: 1,
        conversions: 0,
        payout: 0,
        revenue: 0,
      },
      // The conversion counts in its own hour, with its click's dimensions; the capped one not at all.
      {
        hour: '2026-11-20T12:00:00.000Z',
        sub1: 'a',
        country: 'DE',
        device: 'mobile',
        clicks: 1,
        unique: 1,
        conversions: 1,
        payout: 100,
        revenue: 300,
      },
    ]);
    const [stored] = await db.select().from(conversions).where(eq(conversions.id, ok.id));
    expect(stored).toMatchObject({
      sub1: 'a',
      country: 'DE',
      device: 'mobile',
      creativeId: creative!.id,
      campaignId: campaign!.id,
    });
  });
});
