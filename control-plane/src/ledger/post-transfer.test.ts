import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/test-databases.ts';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { ledgerEntries, ledgerTransfers } from '../db/schema/ledger.ts';
import { rootMessage } from '../ingest/database-errors.ts';
import { accountBalances } from './balances.ts';
import { affiliatePayableAccount, ledgerAccountIds, networkRevenueAccount } from './ledger-accounts.ts';
import { LedgerError } from './ledger-error.ts';
import { postTransfer, postTransfers, type TransferInput } from './post-transfer.ts';

const cash = { kind: 'processor_cash' as const, ownerId: 'stripe', currency: 'USD' };
const payable = affiliatePayableAccount(7, 'USD');

function payout(key: string, amountMinor = 500): TransferInput {
  return {
    idempotencyKey: key,
    kind: 'correction',
    entries: [
      { account: payable, layer: 'posted', amountMinor },
      { account: cash, layer: 'posted', amountMinor: -amountMinor },
    ],
  };
}

describe.each(testDatabases)('postTransfers on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  it('creates accounts on first use, once each', async () => {
    const db = handle.db;
    const keys = [
      networkRevenueAccount('EUR'),
      affiliatePayableAccount(3, 'EUR'),
      networkRevenueAccount('EUR'),
    ];
    const first = await ledgerAccountIds(db, keys);
    const again = await ledgerAccountIds(db, keys);
    expect(first.size).toBe(2);
    expect([...again].sort()).toEqual([...first].sort());
  });

  it('writes a balanced transfer once: the same key and content answers the transfer that exists', async () => {
    const db = handle.db;
    const posted = await postTransfer(db, payout('t-once'));
    expect(posted).toMatchObject({ idempotencyKey: 't-once', created: true });
    const again = await postTransfer(db, payout('t-once'));
    expect(again).toEqual({ ...posted, created: false });
    const entries = await db.select().from(ledgerEntries);
    expect(entries.filter((e) => e.transferId === posted.id)).toHaveLength(2);
  });

  it('refuses a key already used for another movement of money', async () => {
    const db = handle.db;
    await postTransfer(db, payout('t-conflict', 500));
    await expect(postTransfer(db, payout('t-conflict', 600))).rejects.toMatchObject({
      code: 'idempotency_conflict',
    });
    await expect(postTransfer(db, { ...payout('t-conflict', 500), kind: 'payout' })).rejects.toBeInstanceOf(
      LedgerError,
    );
  });

  it('refuses before writing a transfer that does not net to zero per currency and layer', async () => {
    const db = handle.db;
    const unbalanced: TransferInput[] = [
      { ...payout('t-bad-1'), entries: [{ account: payable, layer: 'posted', amountMinor: 1 }] },
      {
        ...payout('t-bad-2'),
        // Balanced in sum, but across layers: a pending hold never pays a posted debt.
        entries: [
          { account: payable, layer: 'posted', amountMinor: 100 },
          { account: cash, layer: 'pending', amountMinor: -100 },
        ],
      },
      {
        ...payout('t-bad-3'),
        // Balanced in sum, but across currencies.
        entries: [
          { account: payable, layer: 'posted', amountMinor: 100 },
          { account: { ...cash, currency: 'EUR' }, layer: 'posted', amountMinor: -100 },
        ],
      },
    ];
    for (const t of unbalanced) {
      await expect(postTransfers(db, [payout('t-good-with-bad'), t])).rejects.toMatchObject({
        code: 'unbalanced',
      });
    }
    await expect(postTransfer(db, { ...payout('t-zero'), entries: [] })).rejects.toMatchObject({
      code: 'invalid_transfer',
    });
    await expect(
      postTransfer(db, {
        ...payout('t-zero-leg'),
        entries: [{ account: payable, layer: 'posted', amountMinor: 0 }],
      }),
    ).rejects.toMatchObject({ code: 'invalid_transfer' });
    const written = await db.select().from(ledgerTransfers);
    expect(written.map((t) => t.idempotencyKey)).not.toContain('t-good-with-bad');
  });

  it('has Postgres refuse, at commit, a transfer written around the module that does not balance', async () => {
    const db = handle.db;
    const ids = await ledgerAccountIds(db, [payable]);
    const accountId = [...ids.values()][0];
    await expect(
      db.transaction(async (tx) => {
        const [t] = await tx
          .insert(ledgerTransfers)
          .values({ idempotencyKey: 't-raw', kind: 'correction' })
          .returning();
        await tx.insert(ledgerEntries).values({
          transferId: t!.id,
          accountId: accountId!,
          layer: 'posted',
          amountMinor: 5,
          currency: 'USD',
        });
      }),
    ).rejects.toThrow();
    // Balanced within the transaction, entry by entry: the check waits for the commit.
    await db.transaction(async (tx) => {
      const [t] = await tx
        .insert(ledgerTransfers)
        .values({ idempotencyKey: 't-raw-balanced', kind: 'correction' })
        .returning();
      await tx.insert(ledgerEntries).values({
        transferId: t!.id,
        accountId: accountId!,
        layer: 'posted',
        amountMinor: 5,
        currency: 'USD',
      });
      await tx.insert(ledgerEntries).values({
        transferId: t!.id,
        accountId: accountId!,
        layer: 'posted',
        amountMinor: -5,
        currency: 'USD',
      });
    });
    // Checked once per transfer at commit, and again for an entry added after a check ran.
    const late = await db
      .transaction(async (tx) => {
        const [t] = await tx
          .insert(ledgerTransfers)
          .values({ idempotencyKey: 't-raw-late', kind: 'correction' })
          .returning();
        await tx.insert(ledgerEntries).values([
          { transferId: t!.id, accountId: accountId!, layer: 'posted', amountMinor: 7, currency: 'USD' },
          { transferId: t!.id, accountId: accountId!, layer: 'posted', amountMinor: -7, currency: 'USD' },
        ]);
        await tx.execute(sql`SET CONSTRAINTS ALL IMMEDIATE`);
        await tx.execute(sql`SET CONSTRAINTS ALL DEFERRED`);
        await tx.insert(ledgerEntries).values({
          transferId: t!.id,
          accountId: accountId!,
          layer: 'posted',
          amountMinor: 1,
          currency: 'USD',
        });
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(rootMessage(late)).toMatch(/does not balance/);
    // An entry in another currency than its account's, or naming no account, is refused at commit.
    for (const [key, account, currency] of [
      ['t-raw-currency', accountId!, 'EUR'],
      ['t-raw-no-account', 987_654_321, 'USD'],
    ] as const) {
      const error = await db
        .transaction(async (tx) => {
          const [t] = await tx
            .insert(ledgerTransfers)
            .values({ idempotencyKey: key, kind: 'correction' })
            .returning();
          await tx.insert(ledgerEntries).values([
            { transferId: t!.id, accountId: account, layer: 'posted', amountMinor: 5, currency },
            { transferId: t!.id, accountId: account, layer: 'posted', amountMinor: -5, currency },
          ]);
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(rootMessage(error), key).toMatch(/names no account/);
    }
  });

  it('is append-only: no update, delete or truncate of accounts, transfers and entries', async () => {
    const db = handle.db;
    const posted = await postTransfer(db, payout('t-append-only'));
    const refused = [
      sql`UPDATE ledger_entries SET amount_minor = amount_minor * 2 WHERE transfer_id = ${posted.id}`,
      sql`DELETE FROM ledger_entries WHERE transfer_id = ${posted.id}`,
      sql`UPDATE ledger_transfers SET kind = 'payout' WHERE id = ${posted.id}`,
      sql`DELETE FROM ledger_transfers WHERE id = ${posted.id}`,
      sql`TRUNCATE ledger_entries, ledger_transfers`,
      sql`UPDATE ledger_accounts SET currency = 'EUR'`,
      sql`DELETE FROM ledger_accounts`,
      sql`TRUNCATE ledger_accounts CASCADE`,
    ];
    for (const statement of refused) {
      const error = await db.execute(statement).then(
        () => null,
        (e: unknown) => e,
      );
      expect(rootMessage(error)).toMatch(/append-only/);
    }
    const [left] = await queryRows<{ n: number | string }>(
      db,
      sql`SELECT count(*) AS n FROM ledger_entries WHERE transfer_id = ${posted.id}`,
    );
    expect(Number(left?.n)).toBe(2);
  });

  it('derives balances from entries, by layer, shown credit-positive to advertisers and affiliates', async () => {
    const db = handle.db;
    const mine = affiliatePayableAccount(99, 'GBP');
    const network = networkRevenueAccount('GBP');
    await postTransfers(db, [
      {
        idempotencyKey: 'b-1',
        kind: 'hold',
        entries: [
          {
            account: { kind: 'advertiser', ownerId: '5', currency: 'GBP' },
            layer: 'pending',
            amountMinor: 300,
          },
          { account: mine, layer: 'pending', amountMinor: -200 },
          { account: network, layer: 'pending', amountMinor: -100 },
        ],
      },
      {
        idempotencyKey: 'b-2',
        kind: 'post',
        entries: [
          {
            account: { kind: 'advertiser', ownerId: '5', currency: 'GBP' },
            layer: 'posted',
            amountMinor: 50,
          },
          { account: mine, layer: 'posted', amountMinor: -50 },
        ],
      },
    ]);
    const { rows } = await accountBalances(db, { currency: 'GBP', limit: 10 });
    const byKind = Object.fromEntries(rows.map((r) => [`${r.kind}:${r.ownerId}`, r]));
    expect(byKind['affiliate_payable:99']).toMatchObject({ pendingMinor: 200, postedMinor: 50 });
    // The advertiser owes: negative to it, as on its statement.
    expect(byKind['advertiser:5']).toMatchObject({ pendingMinor: -300, postedMinor: -50 });
    expect(byKind['network_revenue:network']).toMatchObject({ pendingMinor: 100, postedMinor: 0 });
  });
});
