import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { afterThisMonth, owingWorld, runDeps, thisMonth } from '../../test/invoice-setup.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { DEFAULT_BILLING_TERMS, readBillingSettings, saveBillingTerms } from '../billing/billing-settings.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { invoices } from '../db/schema/invoices.ts';
import { advertiserAccount } from '../ledger/ledger-accounts.ts';
import { postTransfer } from '../ledger/post-transfer.ts';
import { uuidV7 } from '../payouts/uuid-v7.ts';
import type { ProcessorDeps } from '../processors/processor-deps.ts';
import { invoiceKey, runInvoicing } from './invoice-run.ts';

describe.each(testDatabases)('invoice runs on $name', ({ open }) => {
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

  const posts = (path: string) =>
    fakes.stripe.requests.filter((r) => r.method === 'POST' && r.path.startsWith(path));
  const stripeInvoicesOf = (customer: string | null) =>
    [...fakes.stripe.invoices.values()].filter((i) => i.customer === customer);
  const rowsOf = (advertiserId: number) =>
    handle.db.select().from(invoices).where(eq(invoices.advertiserId, advertiserId));

  it('lists in a dry run who would be invoiced what, per offer, writing nothing', async () => {
    const world = await owingWorld(app, handle.db);
    const advertiserId = world.advertiser.advertiserId!;
    const before = fakes.stripe.requests.length;
    const result = await runInvoicing(runDeps(handle.db, processors), { dryRun: true, advertiserId });
    expect(result.dryRun).toBe(true);
    expect(result.decisions).toEqual([
      expect.objectContaining({
        advertiserId,
        currency: 'USD',
        period: thisMonth().name,
        periodStart: thisMonth().start,
        periodEnd: thisMonth().end,
        key: invoiceKey(advertiserId, 'USD', thisMonth().name),
        chargesMinor: 10_000,
        amountMinor: 10_000,
        daysUntilDue: 30,
        outcome: 'invoice',
        lines: [
          {
            description: expect.stringContaining(`(offer ${world.offer.id}): 4 conversions charged`),
            amountMinor: 10_000,
            offerId: world.offer.id,
          },
        ],
      }),
    ]);
    expect(result.issued).toEqual([]);
    expect(await rowsOf(advertiserId)).toEqual([]);
    expect(fakes.stripe.requests.length).toBe(before);
    // Before the month has ended (and settled), nothing of it is due.
    const early = await runInvoicing(
      runDeps(handle.db, processors, new Date(thisMonth().end.getTime() + 60_000)),
      {
        dryRun: true,
        advertiserId,
      },
    );
    expect(early.decisions).toEqual([]);
  });

  it('invoices through Stripe once: customer, lines, finalized with net terms, sent; a rerun makes nothing', async () => {
    const world = await owingWorld(app, handle.db);
    const advertiserId = world.advertiser.advertiserId!;
    await saveBillingTerms(handle.db, advertiserId, { ...DEFAULT_BILLING_TERMS, netTermsDays: 14 });
    const result = await runInvoicing(runDeps(handle.db, processors), { dryRun: false, advertiserId });
    expect(result.issued).toHaveLength(1);
    const { invoice, failure } = result.issued[0]!;
    expect(failure).toBeNull();
    expect(invoice).toMatchObject({
      advertiserId,
      currency: 'USD',
      period: thisMonth().name,
      status: 'open',
      amountMinor: 10_000,
      daysUntilDue: 14,
      stripeInvoiceNumber: expect.stringMatching(/^TASFAKE-/),
      hostedInvoiceUrl: expect.stringMatching(/^https:\/\/invoice\.stripe\.com\//),
      failure: null,
    });
    expect(invoice.sentAt).not.toBeNull();
    expect(invoice.dueAt).not.toBeNull();
    const settings = await readBillingSettings(handle.db, advertiserId);
    expect(settings.stripeCustomerId).toMatch(/^cus_/);
    // Every step at Stripe carries a key derived from the invoice's.
    const key = invoiceKey(advertiserId, 'USD', thisMonth().name);
    const made = fakes.stripe.requests.filter((r) => r.idempotencyKey?.startsWith(key));
    expect(made.map((r) => [r.path.replace(/in_\w+/, ':id'), r.idempotencyKey])).toEqual([
      ['/v1/invoices', `${key}_invoice`],
      ['/v1/invoiceitems', `${key}_line_0`],
      ['/v1/invoices/:id/finalize', `${key}_finalize`],
      ['/v1/invoices/:id/send', `${key}_send`],
    ]);
    expect(made[0]?.params).toMatchObject({
      collection_method: 'send_invoice',
      days_until_due: '14',
      metadata: { tas_invoice_id: invoice.id, advertiser_id: String(advertiserId) },
    });
    const atStripe = stripeInvoicesOf(settings.stripeCustomerId);
    expect(atStripe.map((i) => [i.status, i.amount_due])).toEqual([['open', 10_000]]);

    const before = fakes.stripe.requests.length;
    const again = await runInvoicing(runDeps(handle.db, processors, afterThisMonth(5)), {
      dryRun: false,
      advertiserId,
    });
    expect(again.decisions).toEqual([]);
    expect(again.issued).toEqual([]);
    expect(fakes.stripe.requests.length).toBe(before);
    expect(await rowsOf(advertiserId)).toHaveLength(1);
  });

  it('invoices only postpaid advertisers', async () => {
    const world = await owingWorld(app, handle.db);
    const advertiserId = world.advertiser.advertiserId!;
    await saveBillingTerms(handle.db, advertiserId, { ...DEFAULT_BILLING_TERMS, mode: 'prepaid' });
    const result = await runInvoicing(runDeps(handle.db, processors), { dryRun: false, advertiserId });
    expect(result.decisions).toEqual([]);
    expect(await rowsOf(advertiserId)).toEqual([]);
  });

  it('finishes after Stripe was down, making each thing once', async () => {
    const world = await owingWorld(app, handle.db);
    const advertiserId = world.advertiser.advertiserId!;
    fakes.stripe.failRequestsTo('/finalize');
    const first = await runInvoicing(runDeps(handle.db, processors), { dryRun: false, advertiserId });
    expect(first.issued[0]?.failure).toMatchObject({ kind: 'unavailable', retryable: true });
    expect(first.issued[0]?.invoice).toMatchObject({ status: 'draft', stripeInvoiceId: null, attempts: 1 });
    expect(first.issued[0]?.invoice.failure).toMatch(/^unavailable: /);

    const second = await runInvoicing(runDeps(handle.db, processors, afterThisMonth(2)), {
      dryRun: false,
      advertiserId,
    });
    expect(second.decisions).toEqual([]);
    expect(second.issued.map((r) => [r.invoice.status, r.invoice.failure, r.failure])).toEqual([
      ['open', null, null],
    ]);
    const customer = (await readBillingSettings(handle.db, advertiserId)).stripeCustomerId;
    const atStripe = stripeInvoicesOf(customer);
    expect(atStripe.map((i) => [i.status, i.amount_due])).toEqual([['open', 10_000]]);
    expect(
      posts('/v1/customers').filter(
        (r) =>
          r.params.metadata &&
          (r.params.metadata as Record<string, string>).advertiser_id === String(advertiserId),
      ),
    ).toHaveLength(1);
  });

  it('takes over what an answer lost made, even once Stripe has forgotten the keys', async () => {
    const world = await owingWorld(app, handle.db);
    const advertiserId = world.advertiser.advertiserId!;
    // The SDK tries a closed connection once more by itself: both answers are lost.
    fakes.stripe.dropResponsesTo('/finalize', 2);
    const first = await runInvoicing(runDeps(handle.db, processors), { dryRun: false, advertiserId });
    expect(first.issued[0]?.failure?.kind).toBe('unavailable');
    const created = posts('/v1/invoices').filter((r) => r.path === '/v1/invoices').length;
    // A day and more later Stripe answers a reused key as new: the run looks the invoice up instead.
    const later = await runInvoicing(runDeps(handle.db, processors, afterThisMonth(26)), {
      dryRun: false,
      advertiserId,
    });
    expect(later.issued.map((r) => [r.invoice.status, r.failure])).toEqual([['open', null]]);
    expect(later.issued[0]?.invoice.sentAt).not.toBeNull();
    expect(posts('/v1/invoices').filter((r) => r.path === '/v1/invoices').length).toBe(created);
    const customer = (await readBillingSettings(handle.db, advertiserId)).stripeCustomerId;
    expect(stripeInvoicesOf(customer).map((i) => [i.id, i.status])).toEqual([
      [later.issued[0]?.invoice.stripeInvoiceId, 'open'],
    ]);
  });

  it('starts a half-made draft again under new keys once Stripe has forgotten the old ones', async () => {
    const world = await owingWorld(app, handle.db);
    const advertiserId = world.advertiser.advertiserId!;
    fakes.stripe.failRequestsTo('/finalize');
    await runInvoicing(runDeps(handle.db, processors), { dryRun: false, advertiserId });
    const customer = (await readBillingSettings(handle.db, advertiserId)).stripeCustomerId;
    const [draft] = stripeInvoicesOf(customer);
    expect(draft?.status).toBe('draft');
    const later = await runInvoicing(runDeps(handle.db, processors, afterThisMonth(30)), {
      dryRun: false,
      advertiserId,
    });
    const invoice = later.issued[0]?.invoice;
    expect(invoice).toMatchObject({
      status: 'open',
      stripeKey: `${invoice?.key}:${afterThisMonth(30).getTime()}`,
    });
    // The old draft is gone; the one invoice at Stripe asks the amount once.
    expect(stripeInvoicesOf(customer).map((i) => [i.id, i.status, i.amount_due])).toEqual([
      [invoice?.stripeInvoiceId, 'open', 10_000],
    ]);
    expect(invoice?.stripeInvoiceId).not.toBe(draft?.id);
  });

  it("asks only what the balance does not cover, and nothing when reversals outweigh the period's charges", async () => {
    const world = await owingWorld(app, handle.db);
    const advertiserId = world.advertiser.advertiserId!;
    // 40.00 prepaid (as a Checkout top-up posts it).
    await postTransfer(handle.db, {
      idempotencyKey: `top_up:test-${advertiserId}`,
      kind: 'top_up',
      entries: [
        {
          account: { kind: 'processor_cash', ownerId: 'stripe', currency: 'USD' },
          layer: 'posted',
          amountMinor: 4_000,
        },
        { account: advertiserAccount(advertiserId, 'USD'), layer: 'posted', amountMinor: -4_000 },
      ],
    });
    const [decision] = (await runInvoicing(runDeps(handle.db, processors), { dryRun: true, advertiserId }))
      .decisions;
    expect(decision).toMatchObject({ chargesMinor: 10_000, amountMinor: 6_000, outcome: 'invoice' });
    expect(decision?.lines.at(-1)).toEqual({
      description: 'Covered by your balance (prepaid funds, earlier credits)',
      amountMinor: -4_000,
      offerId: null,
    });

    // An invoice already covers the approvals; what follows it is two reversals only.
    const coveredUntil = new Date();
    await handle.db.insert(invoices).values({
      id: uuidV7(),
      advertiserId,
      currency: 'USD',
      period: 'earlier',
      periodStart: new Date(coveredUntil.getTime() - 86_400_000),
      periodEnd: coveredUntil,
      key: `test:${advertiserId}`,
      chargesMinor: 10_000,
      amountMinor: 6_000,
      lines: [],
      daysUntilDue: 30,
      status: 'void',
      stripeKey: `test:${advertiserId}`,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const reversed = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: world.admin.accessToken,
      body: {
        action: 'reverse',
        conversionIds: world.conversionIds.slice(0, 2),
        reason: 'refunded',
        dryRun: false,
      },
    });
    expect(reversed.status).toBe(200);
    const [credit] = (await runInvoicing(runDeps(handle.db, processors), { dryRun: false, advertiserId }))
      .decisions;
    expect(credit).toMatchObject({
      periodStart: coveredUntil,
      chargesMinor: -5_000,
      amountMinor: 0,
      outcome: 'nothing_due',
      lines: [],
    });
    expect((await rowsOf(advertiserId)).map((r) => r.key)).toEqual([`test:${advertiserId}`]);
  });
});
