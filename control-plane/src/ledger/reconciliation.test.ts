import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptingEdge } from '../../test/fixtures.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { createAdvertiser } from '../advertisers/advertiser-service.ts';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { createOffer } from '../offers/offer-service.ts';
import { affiliatePayableAccount, networkRevenueAccount } from './ledger-accounts.ts';
import { postTransfer } from './post-transfer.ts';
import { reconcileLedger } from './reconciliation.ts';
import { syncExistingConversions } from './sync-existing-conversions.ts';
import { countUnpostedConversions } from './unposted-conversions.ts';

describe.each(testDatabases)('ledger reconciliation on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let offerId: number;
  let advertiserId: number;
  beforeAll(async () => {
    handle = await open();
    advertiserId = (await createAdvertiser(handle.db, { companyName: 'R' })).id;
    offerId = (
      await createOffer(
        { db: handle.db, edge: acceptingEdge },
        {
          advertiserId,
          name: 'O',
          payoutType: 'cpa',
          payoutMinor: 1000,
          revenueMinor: 1600,
          status: 'active',
          destinationUrl: 'https://adv.example/',
        },
      )
    ).id;
  });
  afterAll(() => handle.close());

  /** Conversions as an install stored them before the ledger existed: no transfers. */
  async function storedBeforeTheLedger(statuses: ('pending' | 'approved' | 'rejected')[]) {
    const ids = statuses.map(() => crypto.randomUUID());
    await handle.db.execute(sql`
      INSERT INTO conversions (id, click_id, clicked_at, occurred_at, offer_id, affiliate_id, event, status,
                               payout_minor, revenue_minor, payout_currency, source)
      SELECT id, 'legacy', now(), now(), ${offerId}, 12, 'conversion', status::conversion_status, 1000, 1600, 'USD', 'postback'
      FROM unnest(${sql.param(ids)}::uuid[], ${sql.param(statuses)}::text[]) AS x(id, status)`);
    return ids;
  }

  it('names conversions stored before the ledger, until `ledger sync` posts them, once', async () => {
    const db = handle.db;
    const ids = await storedBeforeTheLedger(['pending', 'approved', 'rejected', 'approved', 'pending']);
    const before = await reconcileLedger(db);
    expect(before.clean).toBe(false);
    expect(before.checks.find((c) => c.name === 'conversions')).toMatchObject({ status: 'differences' });
    const approved = before.differences.filter((d) => d.conversionId === ids[1]);
    expect(approved.map((d) => [d.code, d.account?.kind, d.layer, d.expectedMinor, d.actualMinor])).toEqual(
      expect.arrayContaining([
        ['conversion_not_posted', 'advertiser', 'posted', 1600, 0],
        ['conversion_not_posted', 'affiliate_payable', 'posted', -1000, 0],
        ['conversion_not_posted', 'network_revenue', 'posted', -600, 0],
      ]),
    );
    // A rejected conversion owes nothing: nothing is missing for it.
    expect(before.differences.filter((d) => d.conversionId === ids[2])).toEqual([]);
    expect(before.differencesTotal).toBe(12);

    // The server counts them at start, to say that `ledger sync` is due.
    expect(await countUnpostedConversions(db)).toBe(4);
    const batches: number[] = [];
    const synced = await syncExistingConversions(db, {
      batchSize: 2,
      onBatch: (p) => batches.push(p.conversions),
    });
    expect(synced).toMatchObject({ conversions: 5, posted: 4, unpostable: [] });
    expect(batches).toEqual([2, 4, 5]);
    expect(await syncExistingConversions(db, { batchSize: 2 })).toMatchObject({ conversions: 5, posted: 0 });
    // Resumed after a given id, it reads only the rest.
    const sorted = [...ids].sort();
    expect(await syncExistingConversions(db, { after: sorted[2]! })).toMatchObject({
      conversions: 2,
      posted: 0,
    });

    expect(await countUnpostedConversions(db)).toBe(0);
    const after = await reconcileLedger(db);
    expect(after.differences).toEqual([]);
    expect(after).toMatchObject({ clean: true, complete: true });
    expect(after.checks).toEqual([
      { name: 'transfers', status: 'clean', differences: 0 },
      { name: 'conversions', status: 'clean', differences: 0 },
      { name: 'payouts', status: 'clean', differences: 0 },
      { name: 'invoices', status: 'clean', differences: 0 },
      // No processor configured: each says so (its own tests: reconciliation/).
      {
        name: 'processors',
        status: 'clean',
        differences: 0,
        parts: [
          expect.objectContaining({ name: 'stripe', status: 'not_checked', reason: 'not_configured' }),
          expect.objectContaining({ name: 'paypal', status: 'not_checked', reason: 'not_configured' }),
        ],
      },
    ]);
    // A part not built yet is said so, never reported clean, and the result is not complete.
    const unbuilt = await reconcileLedger(db, { checks: [{ name: 'invoices', run: null }] });
    expect(unbuilt).toMatchObject({
      clean: true,
      complete: false,
      checks: [{ name: 'invoices', status: 'not_checked', differences: 0 }],
    });
  });

  it('names holdings that moved away from the figures, with the amounts expected and held', async () => {
    const db = handle.db;
    const [id] = await storedBeforeTheLedger(['approved']);
    await syncExistingConversions(db);
    // A transfer written against the rules: balanced, but the conversion's payable is no longer its payout.
    const moved = await postTransfer(db, {
      idempotencyKey: `manual:${id}`,
      kind: 'correction',
      conversionId: id!,
      entries: [
        { account: affiliatePayableAccount(12, 'USD'), layer: 'posted', amountMinor: -50 },
        { account: networkRevenueAccount('USD'), layer: 'posted', amountMinor: 50 },
      ],
    });
    const result = await reconcileLedger(db);
    const mine = result.differences.filter((d) => d.conversionId === id);
    expect(mine.map((d) => [d.code, d.account?.kind, d.expectedMinor, d.actualMinor]).sort()).toEqual([
      ['conversion_mismatch', 'affiliate_payable', -1000, -1050],
      ['conversion_mismatch', 'network_revenue', -600, -550],
    ]);
    expect(moved.created).toBe(true);
  });

  it('names transfers that do not balance or follow no stored conversion', async () => {
    const db = handle.db;
    const ghost = crypto.randomUUID();
    const orphan = await postTransfer(db, {
      idempotencyKey: `ghost:${ghost}`,
      kind: 'hold',
      conversionId: ghost,
      entries: [
        { account: affiliatePayableAccount(12, 'USD'), layer: 'pending', amountMinor: -5 },
        { account: networkRevenueAccount('USD'), layer: 'pending', amountMinor: 5 },
      ],
    });
    // Only a superuser switching the database's own check off can write an unbalanced transfer.
    await db.execute(sql`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_balance`);
    const [bad] = await queryRows<{ transfer_id: number | string }>(
      db,
      sql`
        WITH t AS (INSERT INTO ledger_transfers (idempotency_key, kind) VALUES ('tampered', 'correction') RETURNING id)
        INSERT INTO ledger_entries (transfer_id, account_id, layer, amount_minor, currency)
        SELECT t.id, a.id, 'posted', 42, a.currency FROM t, ledger_accounts a
        WHERE a.kind = 'network_revenue' AND a.currency = 'USD'
        RETURNING transfer_id`,
    );
    await db.execute(sql`ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_balance`);
    const result = await reconcileLedger(db);
    expect(result.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'unbalanced_transfer',
          transferId: Number(bad?.transfer_id),
          layer: 'posted',
          expectedMinor: 0,
          actualMinor: 42,
        }),
        expect.objectContaining({
          code: 'transfer_without_conversion',
          transferId: orphan.id,
          conversionId: ghost,
        }),
      ]),
    );
    expect(result.checks.find((c) => c.name === 'transfers')).toMatchObject({
      status: 'differences',
      differences: 1,
    });
    // Capped in the answer, counted in full.
    const capped = await reconcileLedger(db, { maxDifferences: 1 });
    expect(capped.differences).toHaveLength(1);
    expect(capped.differencesTotal).toBe(result.differencesTotal);
  });
});
