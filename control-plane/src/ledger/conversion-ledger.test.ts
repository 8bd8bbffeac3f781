import { statusUpdateIdFor } from '@tas/shared/conversion-id';
import type { ConversionEvent } from '@tas/shared/events';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptingEdge } from '../../test/fixtures.ts';
import { noMail } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import { createAdvertiser } from '../advertisers/advertiser-service.ts';
import type { Principal } from '../auth/principal.ts';
import { applyStatusUpdates } from '../conversions/advertiser-status-updates.ts';
import { changeConversions } from '../conversions/conversion-changes.ts';
import type { ConversionChangeRequest } from '../conversions/conversion-schemas.ts';
import { type Database, type DatabaseHandle, queryRows } from '../db/database.ts';
import { ledgerTransfers } from '../db/schema/ledger.ts';
import { ingestEvents } from '../ingest/ingest-events.ts';
import { createOffer } from '../offers/offer-service.ts';
import { readConversionPositions, syncConversionLedger, transferKindOf } from './conversion-ledger.ts';
import { reconcileLedger } from './reconciliation.ts';

const adminPrincipal: Principal = {
  userId: '00000000-0000-4000-8000-000000000001',
  email: 'admin@tas.test',
  role: 'admin',
  advertiserId: null,
  affiliateId: null,
  via: { kind: 'session', sessionId: '00000000-0000-4000-8000-000000000002' },
};

/** What the ledger holds for a conversion, as `kind:layer` -> amount (zero sums left out). */
async function holdings(db: Database, conversionId: string) {
  const [p] = await readConversionPositions(db, [conversionId]);
  return Object.fromEntries((p?.holdings ?? []).map((h) => [`${h.account.kind}:${h.layer}`, h.amountMinor]));
}

const kindsOf = async (db: Database, conversionId: string) =>
  (
    await db
      .select({ kind: ledgerTransfers.kind, key: ledgerTransfers.idempotencyKey })
      .from(ledgerTransfers)
      .where(eq(ledgerTransfers.conversionId, conversionId))
      .orderBy(ledgerTransfers.id)
  ).map((t) => t.kind);

describe.each(testDatabases)('the conversions ledger on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let offerId: number;
  let advertiserId: number;
  beforeAll(async () => {
    handle = await open();
    const advertiser = await createAdvertiser(handle.db, { companyName: 'L' });
    advertiserId = advertiser.id;
    const offer = await createOffer(
      { db: handle.db, edge: acceptingEdge, now: () => new Date('2026-11-01T00:00:00Z') },
      {
        advertiserId: advertiser.id,
        name: 'O',
        payoutType: 'cpa',
        payoutMinor: 1500,
        revenueMinor: 2500,
        currency: 'EUR',
        status: 'active',
        destinationUrl: 'https://adv.example/',
      },
    );
    offerId = offer.id;
  });
  afterAll(() => handle.close());

  const change = (request: Partial<ConversionChangeRequest> & Pick<ConversionChangeRequest, 'action'>) =>
    changeConversions({ db: handle.db, edge: acceptingEdge, mailer: noMail }, adminPrincipal, {
      dryRun: false,
      reason: 'test',
      ...request,
    } as ConversionChangeRequest);

  async function ingestOne(overrides: Partial<ConversionEvent> = {}, affiliateId = 41) {
    const click = await clickEvent({ offerId, affiliateId });
    const conversion = conversionEvent(click, overrides);
    await ingestEvents(handle.db, { events: [click, conversion] });
    return conversion;
  }

  it('posts what the ingest stores: pending held, approved posted, rejected nothing; a replay posts nothing', async () => {
    const db = handle.db;
    const click = await clickEvent({ offerId, affiliateId: 41 });
    const pending = conversionEvent(click, { advertiserStatus: 'pending' });
    const approved = conversionEvent(click, {});
    const rejected = conversionEvent(click, { advertiserStatus: 'rejected' });
    const batch = { events: [click, pending, approved, rejected] };
    expect(await ingestEvents(db, batch)).toMatchObject({ conversionsInserted: 3 });
    expect(await holdings(db, pending.id)).toEqual({
      'advertiser:pending': 2500,
      'affiliate_payable:pending': -1500,
      'network_revenue:pending': -1000,
    });
    expect(await holdings(db, approved.id)).toEqual({
      'advertiser:posted': 2500,
      'affiliate_payable:posted': -1500,
      'network_revenue:posted': -1000,
    });
    expect(await holdings(db, rejected.id)).toEqual({});
    expect(await kindsOf(db, pending.id)).toEqual(['hold']);
    expect(await kindsOf(db, approved.id)).toEqual(['post']);

    await ingestEvents(db, batch);
    expect(await kindsOf(db, pending.id)).toEqual(['hold']);
    expect(await kindsOf(db, approved.id)).toEqual(['post']);
    expect(await syncConversionLedger(db, [pending.id, approved.id, rejected.id])).toEqual({
      posted: 0,
      unpostable: [],
    });
    // In the offer's currency, on the offer's advertiser and the conversion's affiliate.
    const [accounts] = await queryRows<{ list: string[] }>(
      db,
      sql`SELECT array_agg(DISTINCT a.kind::text || ':' || a.owner_id || ':' || a.currency) AS list
          FROM ledger_transfers t JOIN ledger_entries e ON e.transfer_id = t.id JOIN ledger_accounts a ON a.id = e.account_id
          WHERE t.conversion_id = ${approved.id}`,
    );
    expect(accounts?.list.sort()).toEqual(
      [`advertiser:${advertiserId}:EUR`, 'affiliate_payable:41:EUR', 'network_revenue:network:EUR'].sort(),
    );
  });

  it('follows every change by its difference: post, void, reverse, hold again, adjust', async () => {
    const db = handle.db;
    const c = await ingestOne({ advertiserStatus: 'pending' });
    await change({ action: 'approve', conversionIds: [c.id] });
    expect(await holdings(db, c.id)).toEqual({
      'advertiser:posted': 2500,
      'affiliate_payable:posted': -1500,
      'network_revenue:posted': -1000,
    });
    await change({ action: 'adjust', conversionIds: [c.id], payoutMinor: 1800, revenueMinor: 3000 });
    expect(await holdings(db, c.id)).toEqual({
      'advertiser:posted': 3000,
      'affiliate_payable:posted': -1800,
      'network_revenue:posted': -1200,
    });
    await change({ action: 'pend', conversionIds: [c.id] });
    expect(await holdings(db, c.id)).toEqual({
      'advertiser:pending': 3000,
      'affiliate_payable:pending': -1800,
      'network_revenue:pending': -1200,
    });
    await change({ action: 'reject', conversionIds: [c.id] });
    expect(await holdings(db, c.id)).toEqual({});
    await change({ action: 'approve', conversionIds: [c.id] });
    await change({ action: 'reverse', conversionIds: [c.id] });
    expect(await holdings(db, c.id)).toEqual({});
    expect(await kindsOf(db, c.id)).toEqual(['hold', 'post', 'adjust', 'hold', 'void', 'post', 'reverse']);
    // A change that changes nothing posts nothing.
    await change({ action: 'reverse', conversionIds: [c.id] });
    expect(await kindsOf(db, c.id)).toHaveLength(7);
    const keys = await db
      .select({ key: ledgerTransfers.idempotencyKey })
      .from(ledgerTransfers)
      .where(eq(ledgerTransfers.conversionId, c.id))
      .orderBy(ledgerTransfers.id);
    expect(keys.map((k) => k.key)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `conversion:${c.id}:${n}`));
  });

  it("follows an advertiser's status postback in the transaction that applies it", async () => {
    const db = handle.db;
    const c = await ingestOne({ advertiserStatus: 'pending' });
    const occurredAt = new Date().toISOString();
    await ingestEvents(db, {
      events: [
        {
          type: 'conversion_status',
          id: await statusUpdateIdFor({
            conversionId: c.id,
            status: 'approved',
            clickId: c.clickId,
            occurredAt,
          }),
          occurredAt,
          conversionId: c.id,
          clickId: c.clickId,
          offerId,
          status: 'approved',
          trusted: true,
        },
      ],
    });
    await applyStatusUpdates(db, new Date());
    expect(await kindsOf(db, c.id)).toEqual(['hold', 'post']);
    expect(await holdings(db, c.id)).toMatchObject({ 'advertiser:posted': 2500 });
  });

  it('posts nothing for a conversion that earns nothing, and no affiliate leg without a payout', async () => {
    const db = handle.db;
    const free = await ingestOne();
    await change({ action: 'adjust', conversionIds: [free.id], payoutMinor: 0, revenueMinor: 0 });
    expect(await holdings(db, free.id)).toEqual({});
    await change({ action: 'adjust', conversionIds: [free.id], revenueMinor: 700 });
    // No payout: the advertiser owes the network alone, no affiliate leg.
    expect(await holdings(db, free.id)).toEqual({ 'advertiser:posted': 700, 'network_revenue:posted': -700 });
  });

  it('names transfers by the layers money moves between', () => {
    const leg = (layer: 'pending' | 'posted') => ({
      account: { kind: 'network_revenue' as const, ownerId: 'network', currency: 'USD' },
      layer,
      amountMinor: 1,
    });
    expect(transferKindOf([], [leg('pending')])).toBe('hold');
    expect(transferKindOf([], [leg('posted')])).toBe('post');
    expect(transferKindOf([leg('pending')], [leg('posted')])).toBe('post');
    expect(transferKindOf([leg('pending')], [])).toBe('void');
    expect(transferKindOf([leg('posted')], [])).toBe('reverse');
    expect(transferKindOf([leg('posted')], [leg('pending')])).toBe('hold');
    expect(transferKindOf([leg('posted')], [leg('posted')])).toBe('adjust');
    expect(transferKindOf([leg('posted'), leg('pending')], [leg('posted')])).toBe('correction');
  });

  it('leaves a ledger the reconciliation finds equal to the conversions', async () => {
    const result = await reconcileLedger(handle.db);
    expect(result.differences).toEqual([]);
    // No processor configured and none used: nothing is left unproven.
    expect(result).toMatchObject({ clean: true, complete: true });
  });
});
