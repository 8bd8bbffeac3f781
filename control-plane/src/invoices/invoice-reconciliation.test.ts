import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { invoices } from '../db/schema/invoices.ts';
import { postTransfer } from '../ledger/post-transfer.ts';
import type { ReconciliationDifference } from '../ledger/reconciliation-check.ts';
import { uuidV7 } from '../payouts/uuid-v7.ts';
import { invoicePaymentTransfer } from './invoice-ledger.ts';
import { checkInvoices, invoiceReconciliation } from './invoice-reconciliation.ts';

describe.each(testDatabases)('invoice reconciliation on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let advertiserId: number;

  beforeAll(async () => {
    handle = await open();
    const [advertiser] = await handle.db
      .insert(advertisers)
      .values({ companyName: 'Reconciled Ltd' })
      .returning();
    advertiserId = advertiser!.id;
  });
  afterAll(() => handle.close());

  const differences = async () => {
    const found: ReconciliationDifference[] = [];
    await checkInvoices(handle.db, (d) => found.push(d));
    return found.map((d) => [
      d.code,
      d.transferId === null ? null : 'transfer',
      d.expectedMinor,
      d.actualMinor,
    ]);
  };
  let n = 0;
  const invoice = async (status: 'open' | 'paid' | 'void', amountMinor = 10_000) => {
    const id = uuidV7();
    const key = `test:${n++}`;
    const start = new Date(Date.UTC(2026, 0, n));
    await handle.db.insert(invoices).values({
      id,
      advertiserId,
      currency: 'USD',
      period: key,
      periodStart: start,
      periodEnd: new Date(start.getTime() + 86_400_000),
      key,
      chargesMinor: amountMinor,
      amountMinor,
      lines: [],
      daysUntilDue: 30,
      status,
      stripeKey: key,
    });
    return { id, advertiserId, currency: 'USD' };
  };
  const pay = (i: { id: string; advertiserId: number; currency: string }, amountMinor = 10_000) =>
    postTransfer(handle.db, invoicePaymentTransfer(i, amountMinor, 'test'));

  it('is shaped as the ledger reconciliation takes its checks', () => {
    expect(invoiceReconciliation).toEqual({ name: 'invoices', run: checkInvoices });
  });

  it('finds nothing when each paid invoice has its one payment of its amount', async () => {
    await pay(await invoice('paid'));
    await invoice('open');
    await invoice('void');
    expect(await differences()).toEqual([]);
  });

  it('names a paid invoice not posted, a payment of another amount, and payments of invoices not paid', async () => {
    const unposted = await invoice('paid');
    const short = await invoice('paid', 12_000);
    await pay(short, 11_000);
    const voided = await invoice('void');
    await pay(voided);
    // A payment whose key names no invoice at all.
    await pay({ id: '00000000-0000-7000-8000-000000000000', advertiserId, currency: 'USD' });
    const found = await differences();
    expect(found).toHaveLength(4);
    expect(found).toEqual(
      expect.arrayContaining([
        ['invoice_paid_not_posted', null, 10_000, 0],
        ['invoice_amount_mismatch', 'transfer', 12_000, 11_000],
        ['invoice_transfer_without_paid_invoice', 'transfer', null, null],
        ['invoice_transfer_without_paid_invoice', 'transfer', null, null],
      ]),
    );
    // Posted, or paid after all: those differences go.
    await pay(unposted);
    await handle.db.update(invoices).set({ status: 'paid' }).where(eq(invoices.id, voided.id));
    expect(await differences()).toEqual(
      expect.arrayContaining([
        ['invoice_amount_mismatch', 'transfer', 12_000, 11_000],
        ['invoice_transfer_without_paid_invoice', 'transfer', null, null],
      ]),
    );
    expect(await differences()).toHaveLength(2);
  });
});
