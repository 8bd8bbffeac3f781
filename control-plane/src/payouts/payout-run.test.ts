import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { daysFromNow, payableWorld, setPayoutMethod, testCipher } from '../../test/payout-setup.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { payouts } from '../db/schema/payouts.ts';
import { sumsByLayer } from '../ledger/balances.ts';
import { ledgerAccountIds } from '../ledger/ledger-accounts.ts';
import { receiveProcessorEvent } from '../processors/processor-event-store.ts';
import { createExpressAccount, transferToConnectedAccount } from '../processors/stripe/stripe-connect.ts';
import { createWebhookHandlers } from '../processors/webhook-handlers.ts';
import { continueRun, dryRun, type PayoutRunDeps, startRun } from './payout-run.ts';
import { registerPayoutWebhooks } from './payout-webhooks.ts';

describe.each(testDatabases)('payout runs on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let deps: PayoutRunDeps;
  const handlers = registerPayoutWebhooks(createWebhookHandlers());
  beforeAll(async () => {
    handle = await open();
    fakes = await startProcessorFakes();
    deps = {
      db: handle.db,
      processors: fakes.processors(handlers),
      cipher: testCipher,
      now: () => daysFromNow(31),
    };
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  const payable = async (affiliateId: number) => {
    const ids = await ledgerAccountIds(handle.db, [
      { kind: 'affiliate_payable', ownerId: String(affiliateId), currency: 'USD' },
    ]);
    const id = [...ids.values()][0] ?? 0;
    return -((await sumsByLayer(handle.db, [id])).get(id)?.posted ?? 0) || 0;
  };
  const payoutsOf = (affiliateId: number) =>
    handle.db.select().from(payouts).where(eq(payouts.affiliateId, affiliateId));

  const stripeAffiliate = async (app: ReturnType<typeof testApp>, count = 4) => {
    const world = await payableWorld(app, handle.db, count);
    const affiliateId = world.affiliate.affiliateId ?? 0;
    const stripe = fakes.processors().stripe;
    const account = await createExpressAccount(stripe!.client, { affiliateId });
    if (!account.ok) throw new Error(account.failure.message);
    fakes.stripe.completeOnboarding(account.value.id);
    await setPayoutMethod(handle.db, affiliateId, 'stripe_connect', {
      stripeAccountId: account.value.id,
      stripePayoutsEnabled: true,
    });
    return { world, affiliateId, accountId: account.value.id };
  };

  it('holds fresh approvals, lists who is skipped and why, and moves nothing in a dry run', async () => {
    const app = testApp(handle.db);
    const world = await payableWorld(app, handle.db, 4);
    const affiliateId = world.affiliate.affiliateId ?? 0;
    const held = await dryRun({ db: handle.db });
    expect(held.decisions.find((d) => d.affiliateId === affiliateId)).toMatchObject({
      pay: false,
      reason: 'no_method',
      balanceMinor: 6000,
      heldMinor: 6000,
      dueMinor: 0,
    });
    await setPayoutMethod(handle.db, affiliateId, 'bank_transfer');
    const now = await dryRun({ db: handle.db });
    expect(now.decisions.find((d) => d.affiliateId === affiliateId)).toMatchObject({
      pay: false,
      reason: 'below_minimum',
    });
    const later = await dryRun({ db: handle.db, now: () => daysFromNow(31) });
    expect(later.decisions.find((d) => d.affiliateId === affiliateId)).toMatchObject({
      pay: true,
      amountMinor: 6000,
    });
    expect(await payable(affiliateId)).toBe(6000);
    expect(await payoutsOf(affiliateId)).toEqual([]);
  });

  it('pays a bank transfer once: sent by the run, paid when marked, the ledger following', async () => {
    const app = testApp(handle.db);
    const world = await payableWorld(app, handle.db, 4);
    const affiliateId = world.affiliate.affiliateId ?? 0;
    await setPayoutMethod(handle.db, affiliateId, 'bank_transfer');
    const started = await startRun(deps, { startedBy: null });
    expect(started?.run.status).toBe('completed');
    const [payout] = await payoutsOf(affiliateId);
    expect(payout).toMatchObject({ status: 'sent', amountMinor: 6000, method: 'bank_transfer' });
    expect(await payable(affiliateId)).toBe(0);
    // A second run finds nothing left to pay.
    await startRun(deps, { startedBy: null });
    expect(await payoutsOf(affiliateId)).toHaveLength(1);
  });

  it('pays over Stripe Connect with the payout id as the key, and resumes after Stripe was down without paying twice', async () => {
    const app = testApp(handle.db);
    const { affiliateId, accountId } = await stripeAffiliate(app);
    fakes.stripe.failNext(1);
    const started = await startRun(deps, { startedBy: null });
    expect(started?.run.status).toBe('interrupted');
    const [waiting] = await payoutsOf(affiliateId);
    expect(waiting).toMatchObject({ status: 'pending', amountMinor: 6000 });
    expect(waiting?.postedAt).not.toBeNull();
    expect(await payable(affiliateId)).toBe(0);
    // The process made the transfer at Stripe and was killed before it recorded the answer.
    const run = started?.run.id ?? '';
    const stripe = fakes.processors().stripe;
    const made = await transferToConnectedAccount(stripe!.client, {
      accountId,
      amountMinor: 6000,
      currency: 'USD',
      idempotencyKey: waiting?.id ?? '',
      transferGroup: `payout_run_${run}`,
      metadata: { payout_id: waiting?.id ?? '', affiliate_id: String(affiliateId) },
    });
    expect(made.ok).toBe(true);
    const resumed = await continueRun(deps, run);
    expect(resumed.status).toBe('completed');
    const [paid] = await payoutsOf(affiliateId);
    expect(paid).toMatchObject({ status: 'paid' });
    const transfers = [...fakes.stripe.transfers.values()].filter((t) => t.destination === accountId);
    expect(transfers).toHaveLength(1);
    expect(transfers[0]).toMatchObject({
      amount: 6000,
      metadata: expect.objectContaining({ tas_key: paid?.id }),
    });
    expect(paid?.processorReference).toBe(transfers[0]?.id);
  });

  it('puts a reversed Stripe transfer back on the payable; the clawback is carried to the next run', async () => {
    const app = testApp(handle.db);
    const { world, affiliateId, accountId } = await stripeAffiliate(app, 4);
    await startRun(deps, { startedBy: null });
    const transfer = [...fakes.stripe.transfers.values()].find((t) => t.destination === accountId);
    const event = fakes.stripe.reverseTransfer(String(transfer?.id));
    const deliver = () =>
      receiveProcessorEvent(handle.db, handlers, {
        processor: 'stripe',
        eventId: event.id,
        type: event.type,
        objectId: String(transfer?.id),
        occurredAt: new Date(),
        payload: event,
      });
    await deliver();
    await deliver();
    const [failed] = await payoutsOf(affiliateId);
    expect(failed).toMatchObject({ status: 'failed', failureReason: 'Stripe transfer reversed' });
    expect(await payable(affiliateId)).toBe(6000);
    // A reversal of a conversion now makes the payable short of what was paid ... after it is paid again.
    await startRun(deps, { startedBy: null });
    expect(await payable(affiliateId)).toBe(0);
    const reversed = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: world.admin.accessToken,
      body: {
        action: 'reverse',
        conversionIds: world.conversionIds.slice(0, 1),
        reason: 'refunded',
        dryRun: false,
      },
    });
    expect(reversed.status).toBe(200);
    expect(await payable(affiliateId)).toBe(-1500);
    const next = await dryRun(deps);
    expect(next.decisions.find((d) => d.affiliateId === affiliateId)).toMatchObject({
      pay: false,
      reason: 'negative_balance_carried',
    });
  });

  it('sends one PayPal batch per run keyed by the run, resumed after an outage, settled by item webhooks', async () => {
    const app = testApp(handle.db);
    const world = await payableWorld(app, handle.db, 4);
    const affiliateId = world.affiliate.affiliateId ?? 0;
    const email = `payee-${affiliateId}@paypal.example`;
    await setPayoutMethod(handle.db, affiliateId, 'paypal', { paypalEmail: email });
    fakes.paypal.failNext(5);
    const started = await startRun(deps, { startedBy: null });
    expect(started?.run.status).toBe('interrupted');
    const run = started?.run.id ?? '';
    let resumed = await continueRun(deps, run);
    for (let i = 0; i < 5 && resumed.status !== 'completed'; i++) resumed = await continueRun(deps, run);
    expect(resumed.status).toBe('completed');
    expect(resumed.paypalBatchId).toBeTruthy();
    const [sent] = await payoutsOf(affiliateId);
    expect(sent).toMatchObject({ status: 'sent', amountMinor: 6000 });
    // Resuming a completed run sends nothing again.
    await continueRun(deps, run);
    const events = fakes.paypal.settle();
    for (const event of events) {
      await receiveProcessorEvent(handle.db, handlers, {
        processor: 'paypal',
        eventId: event.id,
        type: event.event_type,
        objectId: null,
        occurredAt: new Date(),
        payload: event,
      });
    }
    const [paid] = await payoutsOf(affiliateId);
    expect(paid).toMatchObject({ status: 'paid' });
    expect(await payable(affiliateId)).toBe(0);
  });
});
