import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverStripe, owingWorld, runDeps } from '../../test/invoice-setup.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { type Invoice, invoices } from '../db/schema/invoices.ts';
import { ledgerTransfers } from '../db/schema/ledger.ts';
import { accountBalances } from '../ledger/balances.ts';
import type { ReconciliationDifference } from '../ledger/reconciliation-check.ts';
import type { ProcessorDeps } from '../processors/processor-deps.ts';
import { invoicePaymentKey } from './invoice-ledger.ts';
import { checkInvoices } from './invoice-reconciliation.ts';
import { runInvoicing } from './invoice-run.ts';

describe.each(testDatabases)('invoice webhooks on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let processors: ProcessorDeps;
  let app: ReturnType<typeof testApp>;

  beforeAll(async () => {
    handle = await open();
    fakes = await startProcessorFakes();
    processors = fakes.processors();
    app = testApp(handle.db, { processors });
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  /** An advertiser owing 100.00, invoiced: its open invoice. */
  async function openInvoice(): Promise<Invoice> {
    const world = await owingWorld(app, handle.db);
    const result = await runInvoicing(runDeps(handle.db, processors), {
      dryRun: false,
      advertiserId: world.advertiser.advertiserId!,
    });
    const invoice = result.issued[0]?.invoice;
    if (!invoice?.stripeInvoiceId) throw new Error('not invoiced');
    return invoice;
  }
  const reread = async (id: string) => {
    const [row] = await handle.db.select().from(invoices).where(eq(invoices.id, id));
    return row!;
  };
  const deliver = async (event: unknown) => {
    const response = await deliverStripe(app, fakes.stripe, event);
    expect(response.status).toBe(200);
    return ((await response.json()) as { outcome: string }).outcome;
  };
  const owed = async (advertiserId: number) =>
    (
      await accountBalances(handle.db, { kind: 'advertiser', ownerId: String(advertiserId), limit: 5 })
    ).rows.map((b) => [b.currency, b.postedMinor]);
  const eventOf = (type: string, invoiceId: string) =>
    fakes.stripe.events.findLast(
      (e) => e.type === type && (e.data.object as { id?: string }).id === invoiceId,
    ) as Stripe.Event;
  /** Stripe's event of `type` for the invoice, with the invoice as it is in `status`. */
  const withStatus = (event: Stripe.Event, type: string, status: string) => ({
    ...event,
    id: `${event.id}_${type.replace(/\W/g, '_')}`,
    type,
    data: { object: { ...(event.data.object as object), status } },
  });
  const differences = async () => {
    const found: ReconciliationDifference[] = [];
    await checkInvoices(handle.db, (d) => found.push(d));
    return found;
  };

  it('posts a paid invoice once, however often and in whatever order the events come', async () => {
    const invoice = await openInvoice();
    expect(await owed(invoice.advertiserId)).toEqual([['USD', -10_000]]);
    const paid = fakes.stripe.payInvoiceOnline(invoice.stripeInvoiceId!);
    expect(await deliver(paid)).toBe('processed');
    expect(await deliver(paid)).toBe('duplicate');
    // The same news in another event (a retry Stripe numbered anew) posts nothing more.
    expect(await deliver(withStatus(paid, 'invoice.paid', 'paid'))).toBe('processed');
    // Older news arriving late moves nothing back.
    expect(await deliver(eventOf('invoice.finalized', invoice.stripeInvoiceId!))).toBe('processed');
    expect(await deliver(withStatus(paid, 'invoice.marked_uncollectible', 'uncollectible'))).toBe(
      'processed',
    );

    const row = await reread(invoice.id);
    expect(row).toMatchObject({ status: 'paid', failure: null });
    expect(row.paidAt).not.toBeNull();
    expect(await owed(invoice.advertiserId)).toEqual([['USD', 0]]);
    const transfers = await handle.db
      .select()
      .from(ledgerTransfers)
      .where(eq(ledgerTransfers.idempotencyKey, invoicePaymentKey(invoice.id)));
    expect(transfers.map((t) => t.kind)).toEqual(['invoice']);
    expect(await differences()).toEqual([]);
  });

  it('records void and uncollectible without moving money; an uncollectible invoice paid later is paid', async () => {
    const voided = await openInvoice();
    expect(await deliver(fakes.stripe.voidInvoice(voided.stripeInvoiceId!))).toBe('processed');
    expect(await reread(voided.id)).toMatchObject({ status: 'void', paidAt: null });
    expect((await reread(voided.id)).closedAt).not.toBeNull();
    expect(await owed(voided.advertiserId)).toEqual([['USD', -10_000]]);

    const doubtful = await openInvoice();
    expect(await deliver(fakes.stripe.markInvoiceUncollectible(doubtful.stripeInvoiceId!))).toBe('processed');
    expect((await reread(doubtful.id)).status).toBe('uncollectible');
    expect(await owed(doubtful.advertiserId)).toEqual([['USD', -10_000]]);
    expect(await deliver(fakes.stripe.payInvoiceOnline(doubtful.stripeInvoiceId!))).toBe('processed');
    expect((await reread(doubtful.id)).status).toBe('paid');
    expect(await owed(doubtful.advertiserId)).toEqual([['USD', 0]]);
    expect(await differences()).toEqual([]);
  });

  it('notes a failed payment and keeps the invoice open', async () => {
    const invoice = await openInvoice();
    expect(await deliver(fakes.stripe.failInvoicePayment(invoice.stripeInvoiceId!))).toBe('processed');
    const row = await reread(invoice.id);
    expect(row.status).toBe('open');
    expect(row.failure).toMatch(/payment attempt failed/);
    expect(await owed(invoice.advertiserId)).toEqual([['USD', -10_000]]);
  });

  it("finds its invoice by Stripe's metadata when the run stopped before recording Stripe's id", async () => {
    const world = await owingWorld(app, handle.db);
    const advertiserId = world.advertiser.advertiserId!;
    fakes.stripe.dropResponsesTo('/finalize', 2);
    const stopped = await runInvoicing(runDeps(handle.db, processors), { dryRun: false, advertiserId });
    const id = stopped.issued[0]!.invoice.id;
    expect((await reread(id)).stripeInvoiceId).toBeNull();
    const finalized = fakes.stripe.events.findLast(
      (e) =>
        e.type === 'invoice.finalized' &&
        (e.data.object as { metadata?: Record<string, string> }).metadata?.tas_invoice_id === id,
    );
    expect(await deliver(finalized)).toBe('processed');
    const row = await reread(id);
    expect(row).toMatchObject({ status: 'open', stripeInvoiceNumber: expect.stringMatching(/^TASFAKE-/) });
    expect(row.sentAt).toBeNull();
    // The next run only sends it.
    const before = fakes.stripe.requests.length;
    const resumed = await runInvoicing(runDeps(handle.db, processors), { dryRun: false, advertiserId });
    expect(resumed.issued.map((r) => [r.invoice.id, r.invoice.status, r.failure])).toEqual([
      [id, 'open', null],
    ]);
    expect(fakes.stripe.requests.slice(before).map((r) => r.path)).toEqual([
      `/v1/invoices/${row.stripeInvoiceId}/send`,
    ]);
  });

  it('leaves invoices TAS did not make alone', async () => {
    const stranger = {
      id: 'evt_stranger',
      object: 'event',
      type: 'invoice.paid',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: 'in_madeByHand',
          object: 'invoice',
          status: 'paid',
          amount_due: 5_000,
          amount_paid: 5_000,
          currency: 'usd',
          metadata: {},
        },
      },
    };
    expect(await deliver(stranger)).toBe('processed');
    expect(await differences()).toEqual([]);
  });
});
