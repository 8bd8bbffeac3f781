import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call } from '../../test/api-client.ts';
import { createTestOffer } from '../../test/fixtures.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { conversionChanges, conversions } from '../db/schema/conversions.ts';
import { hourlyStats } from '../db/schema/hourly-stats.ts';

/** What the ingest does with the edge's judgement of a conversion (decision 018). */
describe.each(testDatabases)('conversions the edge flagged, on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  const ingest = async (events: unknown[]) =>
    (await app.request('/internal/ingest', await signedIngest({ events }))).json();
  const stored = (ids: string[]) => handle.db.select().from(conversions).where(inArray(conversions.id, ids));

  it("rejects a pixel's pre-claim of an order when the advertiser's postback takes it back, in either order", async () => {
    const offer = await createTestOffer(handle.db, { payoutType: 'cpa', payoutMinor: 900 });
    for (const order of ['pixel first', 'postback first'] as const) {
      const attacker = await clickEvent({ offerId: offer.id, affiliateId: 9 });
      const victim = await clickEvent({ offerId: offer.id, affiliateId: 7 });
      const minted = conversionEvent(attacker, { source: 'pixel', txid: `ORDER-${order}` });
      const real = conversionEvent(victim, {
        txid: `ORDER-${order}`,
        supersedes: [{ conversionId: minted.id, clickId: attacker.id }],
      });
      const batches =
        order === 'pixel first'
          ? [
              [attacker, minted],
              [victim, real],
            ]
          : [
              [victim, real],
              [attacker, minted],
            ];
      for (const events of batches) await ingest(events);
      const rows = new Map((await stored([minted.id, real.id])).map((r) => [r.id, r]));
      expect(rows.get(real.id), order).toMatchObject({
        status: 'approved',
        payoutMinor: 900,
        affiliateId: 7,
      });
      expect(rows.get(minted.id), order).toMatchObject({ status: 'rejected', affiliateId: 9 });
      const audit = await handle.db
        .select()
        .from(conversionChanges)
        .where(eq(conversionChanges.conversionId, minted.id));
      expect(
        audit.map((a) => a.action),
        order,
      ).toEqual(['reject']);
    }
  });

  it('holds the earlier claim of a contested order for review too, whichever arrives first', async () => {
    const offer = await createTestOffer(handle.db);
    for (const order of ['earlier first', 'later first'] as const) {
      const first = await clickEvent({ offerId: offer.id, affiliateId: 9 });
      const second = await clickEvent({ offerId: offer.id, affiliateId: 7 });
      const guess = conversionEvent(first, { txid: `CONTESTED-${order}` });
      const real = conversionEvent(second, {
        txid: `CONTESTED-${order}`,
        fraudFlags: ['txid_conflict'],
        holds: [{ conversionId: guess.id, clickId: first.id }],
      });
      const batches =
        order === 'earlier first'
          ? [
              [first, guess],
              [second, real],
            ]
          : [
              [second, real],
              [first, guess],
            ];
      for (const events of batches) await ingest(events);
      const rows = new Map((await stored([guess.id, real.id])).map((r) => [r.id, r.status]));
      expect([rows.get(guess.id), rows.get(real.id)], order).toEqual(['pending', 'pending']);
    }
  });

  it('holds conversions on bot clicks and contested orders for review (pending), and keeps rejections rejected', async () => {
    const offer = await createTestOffer(handle.db);
    const click = await clickEvent({ offerId: offer.id });
    const bot = conversionEvent(click, { fraudFlags: ['bot_click'] });
    const contested = conversionEvent(click, { fraudFlags: ['txid_conflict'] });
    const approvedByAdvertiser = conversionEvent(click, {
      fraudFlags: ['bot_click'],
      advertiserStatus: 'approved',
    });
    const rejectedByAdvertiser = conversionEvent(click, {
      fraudFlags: ['bot_click'],
      advertiserStatus: 'rejected',
    });
    const notPayable = conversionEvent(click, { reason: 'click_not_payable' });
    await ingest([click, bot, contested, approvedByAdvertiser, rejectedByAdvertiser, notPayable]);
    const rows = new Map(
      (
        await stored([bot.id, contested.id, approvedByAdvertiser.id, rejectedByAdvertiser.id, notPayable.id])
      ).map((r) => [r.id, r.status]),
    );
    expect(Object.fromEntries(rows)).toEqual({
      [bot.id]: 'pending',
      [contested.id]: 'pending',
      // The advertiser's approval does not outrank the review a bot's click calls for.
      [approvedByAdvertiser.id]: 'pending',
      [rejectedByAdvertiser.id]: 'rejected',
      [notPayable.id]: 'rejected',
    });
  });

  it('keeps an amount in another currency from an older edge as sent, unpriced and held for review', async () => {
    const offer = await createTestOffer(handle.db, {
      payoutType: 'revshare',
      payoutBps: 1000,
      revenueBps: 2000,
    });
    const click = await clickEvent({ offerId: offer.id });
    const yen = conversionEvent(click, { amountMinor: 10_000, currency: 'JPY' });
    const dollars = conversionEvent(click, { amountMinor: 10_000, currency: 'USD' });
    await ingest([click, yen, dollars]);
    const rows = new Map((await stored([yen.id, dollars.id])).map((r) => [r.id, r]));
    // Before: 10,000 JPY was paid as 100.00 USD of sale. Now it is not priced until reviewed.
    expect(rows.get(yen.id)).toMatchObject({
      status: 'pending',
      amountMinor: null,
      currency: null,
      sentAmountMinor: 10_000,
      sentCurrency: 'JPY',
      payoutMinor: 0,
      revenueMinor: 0,
    });
    expect(rows.get(yen.id)?.fraudFlags).toContain('currency_unconverted');
    expect(rows.get(dollars.id)).toMatchObject({ status: 'approved', payoutMinor: 1000, revenueMinor: 2000 });
    // The API shows the amount as sent beside the priced one.
    const admin = await adminSession(app, handle.db);
    const listed = (await (
      await call(app, 'GET', `/api/v1/conversions?offerId=${offer.id}`, { token: admin.accessToken })
    ).json()) as {
      data: {
        id: string;
        amountMinor: number | null;
        sentAmountMinor: number | null;
        sentCurrency: string | null;
      }[];
    };
    expect(listed.data.find((c) => c.id === yen.id)).toMatchObject({
      amountMinor: null,
      sentAmountMinor: 10_000,
      sentCurrency: 'JPY',
    });
  });

  it('counts bots and other invalid clicks apart in the rollup, and pays none of them per click', async () => {
    const offer = await createTestOffer(handle.db, { payoutType: 'cpc', payoutMinor: 10, revenueMinor: 20 });
    // After the offer's rates took effect (clicks are paid by the rates in force at the click).
    const occurredAt = new Date(Date.now() + 1000).toISOString();
    const click = (fraudFlags: ('bot' | 'blocked_ip' | 'ip_velocity')[]) =>
      clickEvent({ offerId: offer.id, affiliateId: 5, occurredAt, fraudFlags });
    const [clean, bot, blocked, fast] = await Promise.all([
      click([]),
      click(['bot']),
      click(['blocked_ip']),
      click(['ip_velocity']),
    ]);
    await ingest([clean, bot, blocked, fast]);
    const [row] = await handle.db.select().from(hourlyStats).where(eq(hourlyStats.offerId, offer.id));
    expect(row).toMatchObject({
      clicks: 4,
      invalidClicks: 3,
      botClicks: 1,
      blockedClicks: 1,
      velocityClicks: 1,
      payoutMinor: 10,
      revenueMinor: 20,
    });
  });
});
