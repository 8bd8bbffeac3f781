import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { deliverStripe, owingWorld, runDeps, thisMonth } from '../../test/invoice-setup.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { advertiserAccount } from '../ledger/ledger-accounts.ts';
import { postTransfer } from '../ledger/post-transfer.ts';
import { renderStatementHtml } from '../statements/statement-html.ts';
import { advertiserStatement } from './advertiser-statement.ts';
import { periodContaining } from './invoice-periods.ts';
import { runInvoicing } from './invoice-run.ts';

describe.each(testDatabases)('advertiser statements on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let app: ReturnType<typeof testApp>;

  beforeAll(async () => {
    handle = await open();
    fakes = await startProcessorFakes();
    app = testApp(handle.db, { processors: fakes.processors() });
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  it("shows the period's movements between its opening and closing balances, and its invoices", async () => {
    const world = await owingWorld(app, handle.db);
    const advertiserId = world.advertiser.advertiserId!;
    const processors = fakes.processors();
    const run = await runInvoicing(runDeps(handle.db, processors), { dryRun: false, advertiserId });
    const invoice = run.issued[0]!.invoice;
    const reversed = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: world.admin.accessToken,
      body: { action: 'reverse', conversionIds: [world.conversionIds[0]], reason: 'refunded', dryRun: false },
    });
    expect(reversed.status).toBe(200);
    const paid = await deliverStripe(
      app,
      fakes.stripe,
      fakes.stripe.payInvoiceOnline(invoice.stripeInvoiceId!),
    );
    expect(paid.status).toBe(200);
    await postTransfer(handle.db, {
      idempotencyKey: `top_up:statement-${advertiserId}`,
      kind: 'top_up',
      memo: 'Stripe Checkout cs_test',
      entries: [
        {
          account: { kind: 'processor_cash', ownerId: 'stripe', currency: 'USD' },
          layer: 'posted',
          amountMinor: 4_000,
        },
        { account: advertiserAccount(advertiserId, 'USD'), layer: 'posted', amountMinor: -4_000 },
      ],
    });

    const statement = await advertiserStatement(handle.db, {
      advertiserId,
      currency: 'USD',
      period: thisMonth(),
      issuedAt: new Date('2026-12-02T00:00:00Z'),
    });
    expect(statement).toMatchObject({
      kind: 'advertiser_period',
      number: `ST-${thisMonth().name}-ADV-${advertiserId}-USD`,
      periodFrom: thisMonth().start.toISOString().slice(0, 10),
      party: { kind: 'advertiser', id: advertiserId },
      summary: [
        { label: 'Opening balance', amountMinor: 0 },
        { label: 'Conversions charged', amountMinor: -10_000 },
        { label: 'Reversals', amountMinor: 2_500 },
        { label: 'Top-ups', amountMinor: 4_000 },
        { label: 'Invoices paid', amountMinor: 10_000 },
      ],
      total: { label: 'Closing balance', amountMinor: 6_500 },
      invoices: [
        {
          number: invoice.stripeInvoiceNumber,
          period: thisMonth().name,
          status: 'paid',
          amountMinor: 10_000,
        },
      ],
    });
    const today = new Date().toISOString().slice(0, 10);
    expect(statement.lines).toEqual(
      expect.arrayContaining([
        {
          date: today,
          description: expect.stringMatching(/\(offer \d+\): conversions charged$/),
          quantity: 4,
          amountMinor: -10_000,
        },
        { date: today, description: expect.stringMatching(/: reversals$/), quantity: 1, amountMinor: 2_500 },
        {
          date: today,
          description: 'Top-up by Stripe Checkout: Stripe Checkout cs_test',
          quantity: null,
          amountMinor: 4_000,
        },
        {
          date: today,
          description: expect.stringMatching(/^Invoice paid: Stripe invoice TASFAKE-/),
          quantity: null,
          amountMinor: 10_000,
        },
      ]),
    );
    expect(statement.lines).toHaveLength(4);
    const html = renderStatementHtml(statement);
    expect(html).toContain('Invoices');
    expect(html).toContain(invoice.stripeInvoiceNumber!);

    // The next month opens where this one closed, with nothing in it yet.
    const next = await advertiserStatement(handle.db, {
      advertiserId,
      currency: 'USD',
      period: periodContaining(thisMonth().end, 'monthly'),
    });
    expect(next.summary[0]).toEqual({ label: 'Opening balance', amountMinor: 6_500 });
    expect(next.total.amountMinor).toBe(6_500);
    expect(next.lines).toEqual([]);
    expect(next.invoices).toEqual([]);
  });
});
