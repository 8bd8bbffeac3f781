import { readFile } from 'node:fs/promises';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session, signUp, type TestApp } from '../../test/api-client.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { ingest } from '../../test/postback-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { offerPayoutRules } from '../db/schema/offers.ts';

type OverrideView = {
  affiliateId: number;
  payoutType: string;
  payoutMinor: number;
  payoutBps: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  endReason: string | null;
};

// Steps of 10 s on the app's clock: the sessions opened at the start stay valid (15 min).
const at = (step: number) => new Date(Date.UTC(2030, 2, 1) + step * 10_000);

/*
 * An affiliate's payout override is an amount for the offer's payout type when it was set: a fixed
 * payout (minor units) for cpa, a share of the sale (basis points) for revshare. Once the offer
 * pays by another type, the old override would pay nothing (or a fixed amount per click), so
 * changing the type ends the overrides in force: the affiliate is paid the new default until given
 * an override for the new type, and the ended ones stay listed in the override history.
 */
describe.each(testDatabases)('payout overrides across a payout type change, on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: TestApp;
  let clock = at(1);
  let admin: Session;
  let advertiser: Session;
  let affiliate: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { now: () => clock });
    admin = await adminSession(app, handle.db);
    advertiser = await signUp(app, 'advertiser');
    affiliate = await signUp(app, 'affiliate');
    await call(app, 'PATCH', `/api/v1/affiliates/${affiliate.affiliateId}`, {
      token: admin.accessToken,
      body: { status: 'active' },
    });
  });
  afterAll(async () => {
    await handle.close();
  });

  /** A click at `clickedAt` and its sale of `amountMinor`, ingested; the payout the affiliate is shown. */
  async function payoutOf(offerId: number, clickedAt: Date, amountMinor = 5000) {
    const click = await clickEvent({
      offerId,
      affiliateId: affiliate.affiliateId!,
      occurredAt: clickedAt.toISOString(),
    });
    const conversion = conversionEvent(click, {
      occurredAt: new Date(clickedAt.getTime() + 1_000).toISOString(),
      amountMinor,
    });
    await ingest(app, [click, conversion]);
    const response = await call(app, 'GET', `/api/v1/conversions/${conversion.id}`, {
      token: affiliate.accessToken,
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { payoutMinor: number }).payoutMinor;
  }

  async function overrides(offerId: number, query = ''): Promise<OverrideView[]> {
    const response = await call(app, 'GET', `/api/v1/offers/${offerId}/payouts${query}`, {
      token: advertiser.accessToken,
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return ((await response.json()) as { data: OverrideView[] }).data;
  }

  async function setOverride(offerId: number, body: object) {
    const response = await call(app, 'PUT', `/api/v1/offers/${offerId}/payouts/${affiliate.affiliateId}`, {
      token: advertiser.accessToken,
      body,
    });
    expect(response.status, await response.clone().text()).toBe(204);
  }

  async function patchOffer(offerId: number, body: object) {
    const response = await call(app, 'PATCH', `/api/v1/offers/${offerId}`, {
      token: advertiser.accessToken,
      body,
    });
    expect(response.status, await response.clone().text()).toBe(200);
  }

  it('pays the new default after cpa -> revshare -> cpa, not 0, and keeps the ended overrides auditable', async () => {
    clock = at(1);
    const offer = await apiOffer(app, advertiser, {
      visibility: 'public',
      payoutType: 'cpa',
      payoutMinor: 1500,
      revenueMinor: 2500,
    });
    clock = at(2);
    await setOverride(offer.id, { payoutMinor: 1800 });
    expect(await payoutOf(offer.id, at(3))).toBe(1800);

    clock = at(4);
    await patchOffer(offer.id, { payoutType: 'revshare', payoutBps: 1000, revenueBps: 2000 });
    // 10% of 50.00 by the new default: the cpa override (0 basis points) no longer applies.
    expect(await payoutOf(offer.id, at(5))).toBe(500);
    // A click from before the change keeps the rates of its time, override included.
    expect(await payoutOf(offer.id, at(3), 9000)).toBe(1800);
    expect(await overrides(offer.id)).toEqual([]);
    const seen = await call(app, 'GET', `/api/v1/offers/${offer.id}`, { token: affiliate.accessToken });
    expect(await seen.json()).toMatchObject({ payoutType: 'revshare', payoutBps: 1000 });

    // An override for the new type applies as usual.
    clock = at(6);
    await setOverride(offer.id, { payoutBps: 1500 });
    expect(await payoutOf(offer.id, at(7))).toBe(750);

    clock = at(8);
    await patchOffer(offer.id, { payoutType: 'cpa', payoutMinor: 2000, payoutBps: 0 });
    // The revshare override (0 minor units) no longer applies either.
    expect(await payoutOf(offer.id, at(9))).toBe(2000);

    expect(await overrides(offer.id, '?history=true')).toEqual([
      {
        affiliateId: affiliate.affiliateId,
        payoutType: 'revshare',
        payoutMinor: 0,
        payoutBps: 1500,
        effectiveFrom: at(6).toISOString(),
        effectiveTo: at(8).toISOString(),
        endReason: 'payout_type_changed',
      },
      {
        affiliateId: affiliate.affiliateId,
        payoutType: 'cpa',
        payoutMinor: 1800,
        payoutBps: 0,
        effectiveFrom: at(2).toISOString(),
        effectiveTo: at(4).toISOString(),
        endReason: 'payout_type_changed',
      },
    ]);
  });

  it('keeps overrides through rate changes of the same type, and says how others ended', async () => {
    clock = at(10);
    const offer = await apiOffer(app, advertiser, {
      visibility: 'public',
      payoutType: 'cpa',
      payoutMinor: 1500,
    });
    clock = at(11);
    await setOverride(offer.id, { payoutMinor: 1700 });
    clock = at(12);
    await setOverride(offer.id, { payoutMinor: 1900 });
    clock = at(13);
    await patchOffer(offer.id, { payoutMinor: 1600, revenueMinor: 3000 });
    expect(await payoutOf(offer.id, at(14))).toBe(1900);
    expect(await overrides(offer.id)).toEqual([
      expect.objectContaining({ payoutType: 'cpa', payoutMinor: 1900, effectiveTo: null, endReason: null }),
    ]);
    clock = at(15);
    const removed = await call(app, 'DELETE', `/api/v1/offers/${offer.id}/payouts/${affiliate.affiliateId}`, {
      token: advertiser.accessToken,
    });
    expect(removed.status).toBe(204);
    expect(await payoutOf(offer.id, at(16))).toBe(1600);
    expect((await overrides(offer.id, '?history=true')).map((o) => [o.payoutMinor, o.endReason])).toEqual([
      [1900, 'removed'],
      [1700, 'replaced'],
    ]);
  });

  it('ends, by migration, overrides that outlived a type change made before this rule', async () => {
    clock = at(30);
    const offer = await apiOffer(app, advertiser, {
      visibility: 'public',
      payoutType: 'cpa',
      payoutMinor: 1500,
    });
    clock = at(31);
    await setOverride(offer.id, { payoutMinor: 1800 });
    clock = at(32);
    await patchOffer(offer.id, { payoutType: 'revshare', payoutMinor: 0, payoutBps: 1000 });
    // As the data stood before: the cpa override still in force under the revshare default.
    const legacy = and(eq(offerPayoutRules.offerId, offer.id), isNotNull(offerPayoutRules.affiliateId));
    await handle.db.update(offerPayoutRules).set({ effectiveTo: null }).where(legacy);
    expect(await payoutOf(offer.id, at(33))).toBe(0);

    const migration = await readFile(
      new URL('../../../drizzle/0012_end_overrides_of_old_payout_types.sql', import.meta.url),
      'utf8',
    );
    await handle.db.execute(sql.raw(migration));
    expect(await payoutOf(offer.id, at(34))).toBe(500);
    expect(await overrides(offer.id, '?history=true')).toEqual([
      expect.objectContaining({
        payoutType: 'cpa',
        payoutMinor: 1800,
        effectiveTo: at(32).toISOString(),
        endReason: 'payout_type_changed',
      }),
    ]);
  });

  it('refuses an override in the unit the offer does not pay by', async () => {
    clock = at(20);
    const revshare = await apiOffer(app, advertiser, {
      visibility: 'public',
      payoutType: 'revshare',
      payoutMinor: 0,
      payoutBps: 1000,
    });
    const fixed = await apiOffer(app, advertiser, { visibility: 'public', payoutType: 'cpa' });
    for (const [offerId, body] of [
      [revshare.id, { payoutMinor: 500 }],
      [fixed.id, { payoutBps: 500 }],
    ] as const) {
      const response = await call(app, 'PUT', `/api/v1/offers/${offerId}/payouts/${affiliate.affiliateId}`, {
        token: advertiser.accessToken,
        body,
      });
      expect(response.status).toBe(400);
      expect(await errorCode(response)).toBe('invalid_request');
      expect(await overrides(offerId, '?history=true')).toEqual([]);
    }
  });
});
