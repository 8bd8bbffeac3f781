import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Session } from '../../test/api-client.ts';
import { daysFromNow, payableWorld, setPayoutMethod, testCipher } from '../../test/payout-setup.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { payouts } from '../db/schema/payouts.ts';
import { type ReconciliationResult, reconcileLedger } from '../ledger/reconciliation.ts';
import { startRun } from '../payouts/payout-run.ts';
import type { ProcessorDeps } from '../processors/processor-deps.ts';
import { createExpressAccount, transferToConnectedAccount } from '../processors/stripe/stripe-connect.ts';

describe.each(testDatabases)("the processors' reconciliation on $name", ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let processors: ProcessorDeps;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  let advertiser: Session;
  const ids = { paidSession: '', paidTopUp: '', stripePayout: '', paypalPayout: '', accountId: '' };

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

  const deliverStripe = (event: unknown) =>
    app.request('/webhooks/stripe', { method: 'POST', ...fakes.stripe.signed(event) });
  const deliverPayPal = (event: unknown) =>
    app.request('/webhooks/paypal', { method: 'POST', ...fakes.paypal.signed(event) });
  const openTopUp = async (amountMinor: number) => {
    const opened = await call(app, 'POST', '/api/v1/top-ups', {
      token: advertiser.accessToken,
      body: { amountMinor, currency: 'USD' },
    });
    const body = (await opened.json()) as { id: string; checkoutUrl: string };
    const sessionId = /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(body.checkoutUrl)?.[1] ?? '';
    return { topUpId: body.id, sessionId };
  };
  const processorsCheck = (result: ReconciliationResult) =>
    result.checks.find((c) => c.name === 'processors');
  const partsOf = (result: ReconciliationResult) =>
    Object.fromEntries((processorsCheck(result)?.parts ?? []).map((p) => [p.name, [p.status, p.reason]]));

  it("finds a top-up and a payout run through both processors equal to the processors' records", async () => {
    const stripeWorld = await payableWorld(app, handle.db, 4);
    admin = stripeWorld.admin;
    advertiser = stripeWorld.advertiser;
    const stripeAffiliate = stripeWorld.affiliate.affiliateId ?? 0;
    const account = await createExpressAccount(processors.stripe!.client, { affiliateId: stripeAffiliate });
    if (!account.ok) throw new Error(account.failure.message);
    ids.accountId = account.value.id;
    fakes.stripe.completeOnboarding(account.value.id);
    await setPayoutMethod(handle.db, stripeAffiliate, 'stripe_connect', {
      stripeAccountId: account.value.id,
      stripePayoutsEnabled: true,
    });
    const paypalWorld = await payableWorld(app, handle.db, 4);
    const paypalAffiliate = paypalWorld.affiliate.affiliateId ?? 0;
    await setPayoutMethod(handle.db, paypalAffiliate, 'paypal', { paypalEmail: 'payee@paypal.example' });

    // A top-up paid (its webhook delivered twice), and one left open: no money, nothing owed.
    const paid = await openTopUp(50_000);
    ids.paidSession = paid.sessionId;
    ids.paidTopUp = paid.topUpId;
    const event = fakes.stripe.completeCheckout(paid.sessionId);
    expect((await deliverStripe(event)).status).toBe(200);
    expect((await deliverStripe(event)).status).toBe(200);
    await openTopUp(7_000);

    const started = await startRun(
      { db: handle.db, processors, cipher: testCipher, now: () => daysFromNow(31) },
      { startedBy: null },
    );
    expect(started?.run.status).toBe('completed');
    for (const e of fakes.paypal.settle()) expect((await deliverPayPal(e)).status).toBe(200);
    const byAffiliate = async (affiliateId: number) =>
      (await handle.db.select().from(payouts).where(eq(payouts.affiliateId, affiliateId)))[0];
    const stripePayout = await byAffiliate(stripeAffiliate);
    const paypalPayout = await byAffiliate(paypalAffiliate);
    expect([stripePayout?.status, paypalPayout?.status]).toEqual(['paid', 'paid']);
    ids.stripePayout = stripePayout?.id ?? '';
    ids.paypalPayout = paypalPayout?.id ?? '';

    const result = await reconcileLedger(handle.db, { processors });
    expect(result.differences).toEqual([]);
    expect(result).toMatchObject({ clean: true, complete: true });
    expect(processorsCheck(result)).toMatchObject({ status: 'clean', differences: 0 });
    expect(partsOf(result)).toEqual({ stripe: ['clean', null], paypal: ['clean', null] });
    // Both ways: TAS's Stripe records were listed, a page at a time, since 90 days back.
    const lists = fakes.stripe.requests.filter(
      (r) => r.method === 'GET' && ['/v1/checkout/sessions', '/v1/transfers'].includes(r.path),
    );
    expect(lists.map((r) => r.path).sort()).toEqual(['/v1/checkout/sessions', '/v1/transfers']);
    expect(lists[0]?.params).toMatchObject({ limit: '100', created: { gte: expect.any(String) } });
    const since = (lists[0]?.params.created as { gte?: string } | undefined)?.gte;
    expect(Number(since)).toBeCloseTo((Date.now() - 90 * 86_400_000) / 1000, -2);

    // The endpoint says the same, to admins, complete now that every part is built.
    const answer = await call(app, 'GET', '/api/v1/ledger/reconciliation', { token: admin.accessToken });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      clean: true,
      complete: true,
      differences: [],
      checks: expect.arrayContaining([
        expect.objectContaining({
          name: 'processors',
          status: 'clean',
          parts: [
            { name: 'stripe', status: 'clean', differences: 0, reason: null, message: null },
            { name: 'paypal', status: 'clean', differences: 0, reason: null, message: null },
          ],
        }),
      ]),
    });
  });

  it("names every record on which the processor's own disagrees, by its ids", async () => {
    // Stripe paid a session whose webhook never came: the money is there, never credited.
    const unheard = await openTopUp(3_000);
    fakes.stripe.completeCheckout(unheard.sessionId);
    // Stripe lost the paid top-up's session.
    const session = fakes.stripe.sessions.get(ids.paidSession);
    fakes.stripe.sessions.delete(ids.paidSession);
    // The transfer says another amount than the payout.
    const transfer = [...fakes.stripe.transfers.values()].find((t) => t.destination === ids.accountId);
    const transferId = String(transfer?.id);
    if (transfer) transfer.amount = 5_999;
    // PayPal returned the item after its success webhook, and no webhook says so yet.
    const item = fakes.paypal.itemOf(ids.paypalPayout);
    if (item) item.transaction_status = 'RETURNED';
    // A transfer made with a TAS key that names no payout (another install sharing the account?).
    const stray = crypto.randomUUID();
    const made = await transferToConnectedAccount(processors.stripe!.client, {
      accountId: ids.accountId,
      amountMinor: 100,
      currency: 'USD',
      idempotencyKey: stray,
    });
    if (!made.ok) throw new Error(made.failure.message);

    const result = await reconcileLedger(handle.db, { processors });
    const found = result.differences.map((d) => [
      d.code,
      d.processor,
      d.processorRecordId,
      d.topUpId ?? d.payoutId,
      d.expectedMinor,
      d.actualMinor,
    ]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['processor_status_mismatch', 'stripe', unheard.sessionId, unheard.topUpId, 3_000, 0],
        ['processor_record_missing', 'stripe', ids.paidSession, ids.paidTopUp, null, 50_000],
        ['processor_amount_mismatch', 'stripe', transferId, ids.stripePayout, 5_999, 6_000],
        ['processor_status_mismatch', 'paypal', item?.payout_item_id, ids.paypalPayout, null, null],
        ['processor_unknown_record', 'stripe', made.value.id, null, 100, null],
      ]),
    );
    expect(found).toHaveLength(5);
    expect(result).toMatchObject({ clean: false, complete: true });
    expect(processorsCheck(result)).toMatchObject({ status: 'differences', differences: 5 });
    expect(partsOf(result)).toEqual({ stripe: ['differences', null], paypal: ['differences', null] });
    // The top-up's credit names the ledger transfer that made it.
    expect(result.differences.find((d) => d.code === 'processor_record_missing')?.transferId).toEqual(
      expect.any(Number),
    );

    // Put back as it was, but for what TAS cannot undo (the stray transfer, the unheard payment).
    if (session) fakes.stripe.sessions.set(ids.paidSession, session);
    if (transfer) transfer.amount = 6_000;
    if (item) item.transaction_status = 'SUCCESS';
  });

  it('says a processor could not be read, without a difference or a crash, and checks the other', async () => {
    fakes.stripe.failNext(1);
    const stripeDown = await reconcileLedger(handle.db, { processors });
    expect(partsOf(stripeDown)).toEqual({ stripe: ['not_checked', 'unavailable'], paypal: ['clean', null] });
    expect(processorsCheck(stripeDown)?.parts?.[0]?.message).toMatch(
      /^Stripe could not be read \(unavailable\)/,
    );
    expect(stripeDown.differences.filter((d) => d.check === 'processors')).toEqual([]);
    expect(stripeDown).toMatchObject({ clean: true, complete: false });
    expect(processorsCheck(stripeDown)?.status).toBe('not_checked');

    fakes.paypal.failNext(1);
    const paypalDown = await reconcileLedger(handle.db, { processors });
    expect(partsOf(paypalDown)).toEqual({
      stripe: ['differences', null],
      paypal: ['not_checked', 'unavailable'],
    });
    expect(paypalDown.complete).toBe(false);
  });

  it('reports a processor not configured as not checked, incomplete only while TAS has records through it', async () => {
    const none = { stripe: null, paypal: null };
    const result = await reconcileLedger(handle.db, { processors: none });
    expect(partsOf(result)).toEqual({
      stripe: ['not_checked', 'not_configured'],
      paypal: ['not_checked', 'not_configured'],
    });
    expect(processorsCheck(result)?.parts?.[1]?.message).toMatch(
      /^PayPal is not configured \(PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET\), yet TAS has 1 of its top-ups or payouts since /,
    );
    expect(result.differences.filter((d) => d.check === 'processors')).toEqual([]);
    expect(result.complete).toBe(false);
    // Nothing of TAS's went through them since then: nothing left unproven.
    const later = await reconcileLedger(handle.db, {
      processors: none,
      since: new Date(Date.now() + 60_000),
    });
    expect(processorsCheck(later)).toMatchObject({ status: 'clean', differences: 0 });
    expect(later.complete).toBe(true);
  });
});
